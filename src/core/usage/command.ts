import type { CommandInput } from '../agent/commands';
import { sumCosted } from './counts';
import { priced, summarizeDay } from './summary';
import type { CostedCounts } from './types';

/** `/usage`: this session's tokens and cost; for the owner also today's across the gateway (UTC). */
export async function describeUsage({
  sessionKey,
  sessions,
  config,
  trust,
  usage,
}: CommandInput): Promise<string> {
  const record = await sessions.get(sessionKey);
  const models = Object.entries(record?.usageByModel ?? {}).map(([model, counts]) => ({
    model,
    ...priced(counts, model, config),
  }));
  const lines =
    models.length === 0
      ? ['This session: no model calls yet.']
      : [`This session: ${describeCounts(sumCosted(models))}`, ...models.map(modelLine)];
  if (trust !== 'owner') return lines.join('\n');
  const [today] = await usage.days(1);
  if (!today) return [...lines, 'Today (UTC): no model calls yet.'].join('\n');
  const day = summarizeDay(today, config);
  return [
    ...lines,
    `Today (${day.date} UTC, all sessions): ${describeCounts(day.total)}`,
    ...day.models.map(modelLine),
  ].join('\n');
}

const modelLine = (entry: CostedCounts & { model: string }) => `  ${entry.model}: ${describeCounts(entry)}`;

/** `3 call(s), 1,200 in (800 cached) / 90 out, ~$0.0042`. */
export function describeCounts(counts: CostedCounts): string {
  const number = (n: number) => n.toLocaleString('en-US');
  const cache = [
    counts.cacheReadTokens ? `${number(counts.cacheReadTokens)} cache read` : '',
    counts.cacheWriteTokens ? `${number(counts.cacheWriteTokens)} cache write` : '',
  ].filter(Boolean);
  return (
    `${counts.requests} call(s), ${number(counts.inputTokens)} in${cache.length ? ` (${cache.join(', ')})` : ''}` +
    ` / ${number(counts.outputTokens)} out, ${formatCost(counts.costUsd)}`
  );
}

/** `~$0.0042`, or `cost unknown` (a model without a price: never shown as $0). */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown (a model has no price: set models.pricing)';
  return `~$${costUsd < 1 ? costUsd.toFixed(4) : costUsd.toFixed(2)}`;
}
