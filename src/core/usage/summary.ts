import type { KrabConfig } from '../config/schema';
import { sumCosted } from './counts';
import { costOf, priceOf } from './pricing';
import type { CostedCounts, StoredUsageDay, TokenCounts, UsageRow, UsageSummaryDay } from './types';

/** Prices each stored row and groups a day by model, agent and channel (sorted by name). */
export function summarizeDay(day: StoredUsageDay, config: KrabConfig): UsageSummaryDay {
  const costed = day.rows.map((row) => ({ row, costed: priced(row, row.model, config) }));
  const group = (key: (row: UsageRow) => string) => {
    const groups = new Map<string, CostedCounts[]>();
    for (const { row, costed: part } of costed) groups.set(key(row), [...(groups.get(key(row)) ?? []), part]);
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, parts]) => ({ name, totals: sumCosted(parts) }));
  };
  return {
    date: day.date,
    models: group((row) => row.model).map(({ name, totals }) => ({ model: name, ...totals })),
    agents: group((row) => row.agentId).map(({ name, totals }) => ({ agentId: name, ...totals })),
    channels: group((row) => row.channel).map(({ name, totals }) => ({ channel: name, ...totals })),
    total: sumCosted(costed.map((entry) => entry.costed)),
  };
}

/** Counts with the estimated cost of one model's tokens (null when the model has no price). */
export function priced(counts: TokenCounts, model: string, config: KrabConfig): CostedCounts {
  return {
    requests: counts.requests,
    inputTokens: counts.inputTokens,
    outputTokens: counts.outputTokens,
    cacheReadTokens: counts.cacheReadTokens,
    cacheWriteTokens: counts.cacheWriteTokens,
    costUsd: costOf(counts, priceOf(model, config)),
  };
}
