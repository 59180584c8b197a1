import type { RunRecord } from '../../cron/history';
import type { ScheduleSpec } from '../../cron/schedule';
import type { JobView } from '../../cron/view';
import * as z from '../../zod';

/** `cron.list`: every job, config and runtime, with its next and last run. */
export const cronList = z.object({ jobs: z.array(z.custom<JobView>()) });
export type CronList = z.infer<typeof cronList>;

/** `cron.runs`: a job's recent runs, newest first. */
export const cronRuns = z.object({ id: z.string(), runs: z.array(z.custom<RunRecord>()) });
export type CronRuns = z.infer<typeof cronRuns>;

export type { JobView, RunRecord, ScheduleSpec };
