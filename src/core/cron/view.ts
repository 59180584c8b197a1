import type { GatewayContext } from '../context';
import { lastRun, type RunRecord } from './history';
import { type CronJob, getJob, listJobs } from './jobs';
import type { JobView } from './records';
import { type CronRunContext, executeRun } from './run-job';
import { occurrencesOf, scheduleSpec } from './schedule';
import { jobState } from './state';

/** A job as `cron.list`, the CLI and the Control UI show it (its schema is in `records.ts`). */
export type { JobView };

export async function describeJobs(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock'>,
  now: number = ctx.clock.now(),
): Promise<JobView[]> {
  const views: JobView[] = [];
  for (const job of await listJobs(ctx)) views.push(await describeJob(ctx, job, now));
  return views;
}

export async function describeJob(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'clock'>,
  job: CronJob,
  now: number = ctx.clock.now(),
): Promise<JobView> {
  const timezone = job.tz ?? ctx.config().cron?.timezone ?? 'UTC';
  const enabled = job.enabled !== false && ctx.config().cron?.enabled !== false;
  const state = await jobState(ctx, job.id).get();
  const last = await lastRun(ctx, job.id);
  const view: JobView = {
    ...job,
    schedule: scheduleSpec(job.schedule),
    enabled,
    timezone,
    ...(last ? { lastRun: last } : {}),
  };
  try {
    const occurrences = occurrencesOf(job.schedule, {
      timezone,
      ...(job.source === 'runtime' && job.createdAt !== undefined ? { anchor: job.createdAt } : {}),
    });
    const from =
      state && state.fingerprint === occurrences.fingerprint ? Math.max(now, state.watermark) : now;
    const next = enabled ? occurrences.next(from) : null;
    if (next !== null) view.nextRunAt = new Date(next).toISOString();
    if (enabled && state?.retry) view.retryAt = new Date(state.retry.at).toISOString();
  } catch (error) {
    view.problem = (error as Error).message;
  }
  return view;
}

/** Runs a job now, by hand, whatever its schedule; resolves with the finished run. */
export async function runJobNow(
  ctx: CronRunContext & Pick<GatewayContext, 'config'>,
  id: string,
): Promise<RunRecord> {
  const job = await getJob(ctx, id);
  const now = ctx.clock.now();
  return executeRun(ctx, job, { occurrence: now, trigger: 'manual', attempt: 1 });
}
