import { toErrorShape } from '../errors';
import { mergeTallies, sumUsage, tallyUsage } from '../usage/counts';
import type { MeteredRouter } from '../usage/meter';
import type { SessionRecord, SessionStore } from './session-store';

/**
 * A session's record with the calls a meter counted added to its `usage` and `usageByModel`.
 * Every model call made for a session goes through one meter (a turn's: its rounds and the
 * compaction it starts; `/compact`'s: the flush and the summary), so the session's counts agree
 * with the day's.
 */
export function withCalls(current: SessionRecord, metered: MeteredRouter): SessionRecord {
  const calls = metered.tally();
  return {
    ...current,
    usage: sumUsage(current.usage, tallyUsage(calls)),
    usageByModel: mergeTallies(current.usageByModel, calls),
  };
}

/** Adds a meter's calls to the session when nothing else writes them (a failed turn, `/compact`). */
export async function recordCalls(
  sessions: SessionStore,
  sessionKey: string,
  metered: MeteredRouter,
  warn: (message: string) => void,
): Promise<void> {
  if (Object.keys(metered.tally()).length === 0) return;
  try {
    await sessions.update(sessionKey, (current) => withCalls(current, metered));
  } catch (error) {
    warn(`usage of ${sessionKey} not recorded in its session: ${toErrorShape(error).message}`);
  }
}
