import type { GatewayContext } from '../context';
import { dayOf } from './book';
import type { UsageStatus } from './types';

/** The `usage` section of `status`: today's (UTC) tokens and estimated cost, in total and per model. */
export async function usageStatusSection(
  ctx: Pick<GatewayContext, 'config' | 'clock' | 'agents'>,
): Promise<UsageStatus> {
  const config = ctx.config();
  // The price table loads with the first status request, not at start.
  const { summarizeDay } = await import('./summary');
  const [today] = await ctx.agents.usage.days(1);
  const date = dayOf(ctx.clock.now());
  if (!today || today.date !== date)
    return { date, total: summarizeDay({ v: 1, date, rows: [] }, config).total, models: [] };
  const day = summarizeDay(today, config);
  return { date, total: day.total, models: day.models };
}
