import { cronJob, jobId } from '../../cron/config';
import { HISTORY_SIZE, listRuns } from '../../cron/history';
import { addJob, getJob, removeJob } from '../../cron/jobs';
import { describeJob, describeJobs, runJobNow } from '../../cron/view';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { CronList, CronRuns } from '../payloads/cron';

const byId = z.object({ id: jobId });

/** Every job (config and runtime) with its next run and its last run. */
export const cronList = defineMethod(
  z.object({}).optional(),
  async (_params, { ctx }): Promise<CronList> => ({
    jobs: await describeJobs(ctx),
  }),
);

/** Adds a runtime job; the params are the job itself. */
export const cronAdd = defineMethod(cronJob, async (job, { ctx }) => {
  const added = await addJob(ctx, job, 'control');
  ctx.log.scope('cron').info(`job ${added.id} added from the control connection`);
  return { job: await describeJob(ctx, added) };
});

export const cronRemove = defineMethod(byId, async ({ id }, { ctx }) => {
  await removeJob(ctx, id);
  ctx.log.scope('cron').info(`job ${id} removed from the control connection`);
  return { ok: true, id };
});

/** Runs a job now and answers with the finished run (status, duration, error, start of the reply). */
export const cronRun = defineMethod(byId, async ({ id }, { ctx }) => ({ run: await runJobNow(ctx, id) }));

export const cronRuns = defineMethod(
  byId.extend({ limit: z.number().int().min(1).max(HISTORY_SIZE).optional() }),
  async ({ id, limit }, { ctx }): Promise<CronRuns> => {
    await getJob(ctx, id);
    return { id, runs: await listRuns(ctx, id, limit) };
  },
);
