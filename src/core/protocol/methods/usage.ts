import { RETENTION_DAYS } from '../../usage/book';
import { sumCosted } from '../../usage/counts';
import { summarizeDay } from '../../usage/summary';
import type { UsageSummary } from '../../usage/types';
import * as z from '../../zod';
import { defineMethod } from '../method';

/** `usage.summary` {days?}: each UTC day of the last `days` (default 30) that saw a model call, newest first. */
export const usageSummary = defineMethod(
  z.object({ days: z.number().int().min(1).max(RETENTION_DAYS).optional() }).optional(),
  async (params, { ctx }): Promise<UsageSummary> => {
    const config = ctx.config();
    const days = (await ctx.agents.usage.days(params?.days ?? 30)).map((day) => summarizeDay(day, config));
    return { days, total: sumCosted(days.map((day) => day.total)) };
  },
);
