import { Cron } from 'croner';
import { GatewayError } from '../errors';
import type { CronSchedule } from './config';
import { parseDuration } from './duration';
import type { ScheduleSpec } from './records';

/** The occurrences of one job, as epoch milliseconds. croner does the calendar and time-zone maths. */
export interface Occurrences {
  kind: 'cron' | 'every' | 'at';
  /** The first occurrence strictly after `t`, or null when there is none. */
  next(t: number): number | null;
  /** The last occurrence at or before `t`, or null. */
  latest(t: number): number | null;
  /** How many occurrences fall in `(from, to]`, counting at most `cap`. */
  count(from: number, to: number, cap: number): number;
  /** Stable text of what defines the occurrences; a change resets the job's progress. */
  fingerprint: string;
}

export interface ScheduleOptions {
  timezone: string;
  /** Intervals count from here (a runtime job's creation); config jobs count from the epoch, so restarts keep the grid. */
  anchor?: number;
}

/** The normalized form of the three schedule shapes (its schema is in `records.ts`). */
export type { ScheduleSpec };

export function scheduleSpec(schedule: CronSchedule): ScheduleSpec {
  if (typeof schedule === 'string') return { cron: schedule };
  if (schedule.cron !== undefined) return { cron: schedule.cron };
  if (schedule.every !== undefined) return { every: schedule.every };
  return { at: schedule.at as string };
}

/** Builds the occurrence maths for a schedule; throws `BAD_REQUEST` when it cannot be read. */
export function occurrencesOf(schedule: CronSchedule, options: ScheduleOptions): Occurrences {
  const spec = scheduleSpec(schedule);
  try {
    if ('cron' in spec) return cronOccurrences(spec.cron, options.timezone);
    if ('every' in spec) return intervalOccurrences(spec.every, options.anchor ?? 0);
    return onceOccurrence(spec.at, options.timezone);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(
      'BAD_REQUEST',
      `cannot read schedule ${JSON.stringify(schedule)}: ${(error as Error).message}`,
    );
  }
}

function cronOccurrences(expression: string, timezone: string): Occurrences {
  const cron = new Cron(expression, { mode: '5-or-6-parts', timezone });
  const next = (t: number) => cron.nextRun(new Date(t))?.getTime() ?? null;
  return {
    kind: 'cron',
    next,
    // croner's previous run is strictly before its reference; +1 ms makes `t` itself count.
    latest: (t) => cron.previousRuns(1, new Date(t + 1))[0]?.getTime() ?? null,
    count(from, to, cap) {
      let n = 0;
      for (let at = next(from); at !== null && at <= to && n < cap; at = next(at)) n++;
      return n;
    },
    fingerprint: `cron:${expression}@${timezone}`,
  };
}

function intervalOccurrences(every: string, anchor: number): Occurrences {
  const step = parseDuration(every);
  if (step === undefined) throw new GatewayError('BAD_REQUEST', `not a duration: ${JSON.stringify(every)}`);
  // Occurrences are anchor + k*step for k >= 1: a job added now first runs one interval from now.
  const index = (t: number) => Math.floor((t - anchor) / step);
  return {
    kind: 'every',
    next: (t) => anchor + Math.max(1, index(t) + 1) * step,
    latest: (t) => (index(t) >= 1 ? anchor + index(t) * step : null),
    count: (from, to, cap) => Math.min(cap, Math.max(0, index(to) - Math.max(0, index(from)))),
    fingerprint: `every:${step}@${anchor}`,
  };
}

function onceOccurrence(at: string, timezone: string): Occurrences {
  const when = resolveAt(at, timezone);
  return {
    kind: 'at',
    next: (t) => (when > t ? when : null),
    latest: (t) => (when <= t ? when : null),
    count: (from, to, cap) => (when > from && when <= to && cap > 0 ? 1 : 0),
    fingerprint: `at:${when}`,
  };
}

/** An ISO-8601 time as epoch ms; without an offset it is wall-clock time in `timezone`. */
export function resolveAt(at: string, timezone: string): number {
  // With an offset the instant is exact (milliseconds too); without one croner reads the wall clock in the zone.
  if (/(Z|[+-]\d{2}:\d{2})$/i.test(at)) {
    const exact = Date.parse(at);
    if (!Number.isNaN(exact)) return exact;
  }
  const date = new Cron(at, { timezone }).getOnce();
  if (!date || Number.isNaN(date.getTime()))
    throw new GatewayError('BAD_REQUEST', `not an ISO-8601 time: ${JSON.stringify(at)}`);
  return date.getTime();
}
