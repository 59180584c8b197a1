import type { Usage } from '../providers/types';
import type { Store } from '../storage/store';
import { addCounts, toCounts } from './counts';
import type { StoredUsageDay, UsageRow } from './types';

/** Daily rollups older than this many days (today included) are pruned. */
export const RETENTION_DAYS = 90;
/** Rows a day keeps (model x agent x channel); past it, new pairs fold into the model's `*` row. */
export const MAX_ROWS_PER_DAY = 500;

const PREFIX = 'usage:day:';
const DAY_MS = 86_400_000;

/** One provider call, as the agent runtime reports it. */
export interface UsageEntry {
  model: string;
  agentId: string;
  channel: string;
  usage: Usage;
}

/** The usage rollups in the store: one serialized state cell per UTC day. */
export interface UsageBook {
  /**
   * Adds one call to its day's rollup. Calls made while a write is under way are merged into the
   * next one: at most one write in flight and one waiting, however fast the calls come. Resolves
   * once written (callers hand it to `waitUntil` rather than wait).
   */
  record(entry: UsageEntry): Promise<void>;
  /** The stored days of the last `count` (1..RETENTION_DAYS) UTC days, newest first; days without calls are absent. */
  days(count: number): Promise<StoredUsageDay[]>;
}

/** `YYYY-MM-DD` (UTC) of a time. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function createUsageBook(store: Store, now: () => number): UsageBook {
  /** Calls not written yet, merged per day, model, agent and channel. */
  let waiting = new Map<string, { date: string; row: UsageRow }>();
  /** The write that will take `waiting`, when one is scheduled. */
  let next: Promise<void> | undefined;
  /** The latest write scheduled (each runs after the one before). */
  let chain: Promise<void> = Promise.resolve();
  let prunedOn: string | undefined;

  async function write(): Promise<void> {
    next = undefined;
    const taken = [...waiting.values()];
    waiting = new Map();
    const dates = [...new Set(taken.map((entry) => entry.date))];
    for (const date of dates)
      await store.state<StoredUsageDay>(`${PREFIX}${date}`).update((current) => {
        const day: StoredUsageDay = current?.v === 1 ? current : { v: 1, date, rows: [] };
        for (const entry of taken) if (entry.date === date) addRow(day, entry.row);
        return day;
      });
    // Once a day (and once per start) the old rollups go.
    const today = dayOf(now());
    if (prunedOn !== today) {
      prunedOn = today;
      await prune(today);
    }
  }

  async function prune(today: string): Promise<void> {
    const oldest = dayOf(Date.parse(today) - (RETENTION_DAYS - 1) * DAY_MS);
    for (const key of await store.keys(PREFIX))
      if (key.slice(PREFIX.length) < oldest) await store.remove(key);
  }

  return {
    record({ model, agentId, channel, usage }) {
      const date = dayOf(now());
      const key = JSON.stringify([date, model, agentId, channel]);
      const seen = waiting.get(key);
      if (seen) addCounts(seen.row, toCounts(usage));
      else waiting.set(key, { date, row: { model, agentId, channel, ...toCounts(usage) } });
      next ??= chain = chain.catch(() => undefined).then(write);
      return next;
    },
    async days(count) {
      // A summary right after a turn includes it.
      await chain.catch(() => undefined);
      const span = Math.min(Math.max(1, Math.floor(count)), RETENTION_DAYS);
      const oldest = dayOf(now() - (span - 1) * DAY_MS);
      const keys = (await store.keys(PREFIX)).filter((key) => key.slice(PREFIX.length) >= oldest);
      const days = await Promise.all(keys.map((key) => store.state<StoredUsageDay>(key).get()));
      return days
        .filter((day): day is StoredUsageDay => day?.v === 1 && Array.isArray(day.rows))
        .sort((a, b) => (a.date < b.date ? 1 : -1));
    },
  };
}

/** Adds a row's counts to the day (in place), folding new pairs into the model's `*` row once the day is full. */
function addRow(day: StoredUsageDay, row: UsageRow): void {
  const same = (r: UsageRow, agentId: string, channel: string) =>
    r.model === row.model && r.agentId === agentId && r.channel === channel;
  const full = day.rows.length >= MAX_ROWS_PER_DAY;
  const found =
    day.rows.find((r) => same(r, row.agentId, row.channel)) ??
    (full ? day.rows.find((r) => same(r, '*', '*')) : undefined);
  if (found) addCounts(found, row);
  else day.rows.push(full ? { ...row, agentId: '*', channel: '*' } : { ...row });
}
