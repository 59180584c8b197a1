import type { CommandInput } from '../agent/commands';
import { sumCosted } from './counts';
import { describeCounts } from './format';
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
