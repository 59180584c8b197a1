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
  /** Adds one call to today's rollup (one small write; callers hand it to `waitUntil`, not awaiting it). */
  record(entry: UsageEntry): Promise<void>;
  /** The stored days of the last `count` (1..RETENTION_DAYS) UTC days, newest first; days without calls are absent. */
  days(count: number): Promise<StoredUsageDay[]>;
}

/** `YYYY-MM-DD` (UTC) of a time. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function createUsageBook(store: Store, now: () => number): UsageBook {
  // Writes not yet settled: `days` waits for them, so a summary right after a turn includes it.
  const pending = new Set<Promise<unknown>>();
  let prunedOn: string | undefined;

  async function prune(today: string): Promise<void> {
    const oldest = dayOf(Date.parse(today) - (RETENTION_DAYS - 1) * DAY_MS);
    for (const key of await store.keys(PREFIX))
      if (key.slice(PREFIX.length) < oldest) await store.remove(key);
  }

  return {
    record(entry) {
      const date = dayOf(now());
      const write = store
        .state<StoredUsageDay>(`${PREFIX}${date}`)
        .update((current) => addRow(current?.v === 1 ? current : { v: 1, date, rows: [] }, entry));
      // Once a day (and once per start) the old rollups go.
      const done = prunedOn === date ? write : write.then(() => prune(date));
      prunedOn = date;
      const settled = done.then(() => undefined);
      pending.add(settled);
      void settled.finally(() => pending.delete(settled)).catch(() => undefined);
      return settled;
    },
    async days(count) {
      await Promise.allSettled([...pending]);
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

function addRow(day: StoredUsageDay, entry: UsageEntry): StoredUsageDay {
  const counts = toCounts(entry.usage);
  const same = (row: UsageRow, agentId: string, channel: string) =>
    row.model === entry.model && row.agentId === agentId && row.channel === channel;
  const full = day.rows.length >= MAX_ROWS_PER_DAY;
  let row = day.rows.find((r) => same(r, entry.agentId, entry.channel));
  if (!row && full) row = day.rows.find((r) => same(r, '*', '*'));
  if (row) {
    addCounts(row, counts);
  } else {
    day.rows.push({
      model: entry.model,
      agentId: full ? '*' : entry.agentId,
      channel: full ? '*' : entry.channel,
      ...counts,
    });
  }
  return day;
}
