import { Cron } from 'croner';
import * as z from '../zod';
import { lazySchema } from '../zod-lazy';
import { parseDuration } from './duration';

/** Shortest `every` interval: anything faster is a loop, not a schedule. */
export const MIN_INTERVAL_MS = 10_000;

/** Lower-case so ids map to the same file on case-insensitive file systems; `_` first is reserved for our own keys. */
export const jobId = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,63}$/,
      'expected an id of lower-case letters, digits, - and _ (at most 64), e.g. "daily-digest"',
    ),
);

/** Whether `Intl` knows the IANA zone; the same check works on Node and Workers. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** croner's complaint about a cron expression, or undefined when it parses (5 fields, or 6 with seconds first). */
export function cronExpressionProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { mode: '5-or-6-parts' });
    return undefined;
  } catch (error) {
    return `invalid cron expression ${JSON.stringify(expression)}: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/i;

const timeZone = lazySchema(() =>
  z.string().refine(isTimeZone, { message: 'expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"' }),
);

/** A job of `cron.jobs`, or one added at runtime (the control method, the CLI, the reminder tools). */
export const cronJob = lazySchema(() => {
  const cronExpression = z.string().check(
    z.superRefine((value, ctx) => {
      const problem = cronExpressionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

  const durationText = z.string().refine((value) => (parseDuration(value) ?? 0) >= MIN_INTERVAL_MS, {
    message: `expected a duration of at least ${MIN_INTERVAL_MS / 1000}s, e.g. "30m", "1h30m", "1d"`,
  });

  /** ISO-8601 date and time; without an offset it is read in the job's time zone. */
  const isoTime = z.string().refine((value) => ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
    message:
      'expected an ISO-8601 time, e.g. "2026-04-01T09:00:00+02:00" (without an offset it is read in the job\'s time zone)',
  });

  /**
   * When a job runs: a cron expression (`"0 9 * * 1-5"`), or exactly one of `{cron}`, `{every: "30m"}`
   * (fixed interval) or `{at: ISO-8601}` (once).
   */
  const cronSchedule = z.union([
    cronExpression,
    z
      .strictObject({
        cron: cronExpression.optional(),
        every: durationText.optional(),
        at: isoTime.optional(),
      })
      .refine((value) => [value.cron, value.every, value.at].filter((v) => v !== undefined).length === 1, {
        message: 'set exactly one of cron, every, at',
      }),
  ]);

  /** Where a job's reply goes: a chat on a channel, sent through that channel's normal send path. */
  const cronDeliver = z.strictObject({
    channel: z.string().min(1),
    /** The chat id on that channel (Telegram chat id, Discord channel id, phone number, ...). */
    to: z.string().min(1),
    accountId: z.string().min(1).optional(),
    threadId: z.string().min(1).optional(),
  });

  const cronRetry = z.strictObject({
    /** Extra attempts after a failed run. */
    attempts: z.number().int().min(1).max(10),
    /** Wait before the first retry (default 1m); it doubles with each further attempt. */
    delay: durationText.optional(),
  });

  return z.strictObject({
    id: jobId,
    name: z.string().max(200).optional(),
    schedule: cronSchedule,
    /** IANA zone for cron expressions and offset-less `at` times; default `cron.timezone`, then UTC. */
    tz: timeZone.optional(),
    agentId: z.string().min(1).optional(),
    /** The prompt the agent runs (mode `agent`), or the text sent as is (mode `text`). */
    message: z.string().min(1).max(20_000),
    mode: z.enum(['agent', 'text']).optional(),
    deliver: cronDeliver.optional(),
    enabled: z.boolean().optional(),
    retry: cronRetry.optional(),
  });
});

/** `cron`: scheduled jobs, their time zone and catch-up after downtime. */
export const cronSection = lazySchema(() =>
  z
    .strictObject({
      /** Set false to stop every scheduled job (runs by hand still work). */
      enabled: z.boolean().optional(),
      timezone: timeZone.optional(),
      /** After downtime, the most recent missed occurrence still runs if it is at most this old (default 60). */
      catchUpMinutes: z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60)
        .optional(),
      jobs: z.array(cronJob).optional(),
    })
    .superRefine((section, ctx) => {
      const seen = new Set<string>();
      for (const [index, job] of (section.jobs ?? []).entries()) {
        if (seen.has(job.id))
          ctx.addIssue({
            code: 'custom',
            path: ['jobs', index, 'id'],
            message: `duplicate job id ${JSON.stringify(job.id)}`,
          });
        seen.add(job.id);
      }
    }),
);

export type CronJobInput = z.infer<typeof cronJob>;
export type CronSchedule = CronJobInput['schedule'];
export type CronDeliver = NonNullable<CronJobInput['deliver']>;
export type CronSection = z.infer<typeof cronSection>;

export const DEFAULT_CATCH_UP_MINUTES = 60;
export const DEFAULT_RETRY_DELAY = '1m';
