import { type JobView, jobView, type RunRecord, runRecord, type ScheduleSpec } from '../../cron/records';
import * as z from '../../zod';

// The records are cron's own schemas; nothing imports these at runtime (only their types).

/** `cron.list`: every job, config and runtime, with its next and last run. */
export const cronList = z.object({ jobs: z.array(jobView) });
export type CronList = z.infer<typeof cronList>;

/** `cron.runs`: a job's recent runs, newest first. */
export const cronRuns = z.object({ id: z.string(), runs: z.array(runRecord) });
export type CronRuns = z.infer<typeof cronRuns>;

export type { JobView, RunRecord, ScheduleSpec };
