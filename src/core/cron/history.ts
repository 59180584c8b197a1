import type { GatewayContext } from '../context';
import { CRON_KEYS } from './keys';
import type { RunRecord, RunStatus, RunTrigger } from './records';

/** How many runs each job keeps. */
export const HISTORY_SIZE = 50;

/** One entry of a job's run history, its status and trigger (their schemas are in `records.ts`). */
export type { RunRecord, RunStatus, RunTrigger };

/** Adds a run or replaces the one with the same `runId`, keeping the newest `HISTORY_SIZE`. */
export async function recordRun(
  ctx: Pick<GatewayContext, 'store' | 'events'>,
  record: RunRecord,
): Promise<void> {
  await ctx.store.state<RunRecord[]>(CRON_KEYS.runs(record.jobId)).update((current) => {
    const runs = (current ?? []).filter((run) => run.runId !== record.runId);
    runs.push(record);
    return runs.slice(-HISTORY_SIZE);
  });
  ctx.events.emit('cron.run', record);
}

/** A job's history, newest first. */
export async function listRuns(
  ctx: Pick<GatewayContext, 'store'>,
  jobId: string,
  limit = HISTORY_SIZE,
): Promise<RunRecord[]> {
  const runs = (await ctx.store.get<RunRecord[]>(CRON_KEYS.runs(jobId))) ?? [];
  return runs.slice(-limit).reverse();
}

/** The newest finished or running entry, for listings. */
export async function lastRun(
  ctx: Pick<GatewayContext, 'store'>,
  jobId: string,
): Promise<RunRecord | undefined> {
  return (await listRuns(ctx, jobId, 1))[0];
}

/**
 * Marks runs left `running` by a process that died as `interrupted`. Only safe where this
 * process is the only scheduler on the store (the Node gateway holds the state-dir lock).
 */
export async function markInterruptedRuns(
  ctx: Pick<GatewayContext, 'store'>,
  jobIds: readonly string[],
): Promise<number> {
  let marked = 0;
  for (const jobId of jobIds) {
    await ctx.store.state<RunRecord[]>(CRON_KEYS.runs(jobId)).update((current) => {
      if (!current?.some((run) => run.status === 'running')) return current ?? undefined;
      return current.map((run) => {
        if (run.status !== 'running') return run;
        marked++;
        return {
          ...run,
          status: 'interrupted' as const,
          error: 'the gateway stopped during this run; it is not run again',
        };
      });
    });
  }
  return marked;
}
