import * as z from '../zod';
import { cronJob } from './config';

// What cron shows over the control protocol (`cron.list`, `cron.runs`): zod schemas, types
// inferred; `history.ts`, `schedule.ts` and `view.ts` export the types under their usual names.
// Runtime code imports only types from here, so none of these is built at start (the history and
// the schedule maths are on the start path; this file is not).

/** The normalized form of the three schedule shapes (`ScheduleSpec`). */
export const normalizedSchedule = z.union([
  z.object({ cron: z.string() }),
  z.object({ every: z.string() }),
  z.object({ at: z.string() }),
]);
export type ScheduleSpec = z.infer<typeof normalizedSchedule>;

export const runStatus = z.enum(['running', 'ok', 'error', 'missed', 'skipped', 'interrupted']);
export type RunStatus = z.infer<typeof runStatus>;
export const runTrigger = z.enum(['schedule', 'catch-up', 'retry', 'manual']);
export type RunTrigger = z.infer<typeof runTrigger>;

/** One entry of a job's run history (what `cron.runs` returns and the Control UI shows). */
export const runRecord = z.object({
  /** Unique within the job: `<occurrence ms>-<attempt>`, or `manual-<ms>`. */
  runId: z.string(),
  jobId: z.string(),
  /** The scheduled time this run belongs to (ISO-8601). */
  occurrence: z.string(),
  trigger: runTrigger,
  attempt: z.number(),
  status: runStatus,
  startedAt: z.string(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  /** The start of the reply, for the history view. */
  output: z.string().optional(),
  /** Chunks sent to `deliver`. */
  delivered: z.number().optional(),
  /** `missed` entries: how many occurrences, and the first and last of them. */
  count: z.number().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecord>;

/** A job as `cron.list`, the CLI and the Control UI show it (builds the lazy `cronJob`: not at start, see above). */
export const jobView = cronJob
  .unwrap()
  .omit({ schedule: true })
  .extend({
    source: z.enum(['config', 'runtime']),
    /** Runtime jobs: when it was added (intervals count from here). */
    createdAt: z.number().optional(),
    /** Runtime jobs: who added it (`control`, `cli`, `reminder`). */
    createdBy: z.string().optional(),
    schedule: normalizedSchedule,
    enabled: z.boolean(),
    timezone: z.string(),
    /** Next time it runs (ISO-8601), absent when it will not run again or is switched off. */
    nextRunAt: z.string().optional(),
    retryAt: z.string().optional(),
    lastRun: runRecord.optional(),
    /** Why the schedule cannot be used, if it cannot. */
    problem: z.string().optional(),
  });
export type JobView = z.infer<typeof jobView>;
