import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { formatIssues } from '../zod-issues';
import { type CronJobInput, cronJob } from './config';
import { CRON_KEYS } from './keys';

/** A job as the scheduler sees it: from `cron.jobs[]` in the config or created at runtime and kept in the store. */
export interface CronJob extends CronJobInput {
  source: 'config' | 'runtime';
  /** Runtime jobs: when it was added (intervals count from here). */
  createdAt?: number;
  /** Runtime jobs: who added it (`control`, `cli`, `reminder`). */
  createdBy?: string;
}

/** What job bookkeeping needs: little enough that the CLI can edit the store when no gateway runs. */
export type CronStoreContext = Pick<GatewayContext, 'config' | 'store' | 'clock' | 'events' | 'log'>;

/** What the store keeps for a runtime job. */
export type StoredJob = CronJobInput & { createdAt: number; createdBy?: string };

/** Every job, config first; a runtime job whose id a config job now uses is shadowed (and logged). */
export async function listJobs(ctx: Pick<GatewayContext, 'config' | 'store' | 'log'>): Promise<CronJob[]> {
  const fromConfig: CronJob[] = (ctx.config().cron?.jobs ?? []).map((job) => ({ ...job, source: 'config' }));
  const ids = new Set(fromConfig.map((job) => job.id));
  const runtime: CronJob[] = [];
  for (const [id, stored] of Object.entries(await readStoredJobs(ctx))) {
    const parsed = cronJob.safeParse(stripMeta(stored));
    if (!parsed.success || parsed.data.id !== id) {
      ctx.log
        .scope('cron')
        .warn(`ignoring stored job ${JSON.stringify(id)}: it no longer matches the job schema`);
      continue;
    }
    if (ids.has(id)) continue;
    runtime.push({
      ...parsed.data,
      source: 'runtime',
      createdAt: stored.createdAt,
      ...(stored.createdBy ? { createdBy: stored.createdBy } : {}),
    });
  }
  return [...fromConfig, ...runtime];
}

export async function getJob(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log'>,
  id: string,
): Promise<CronJob> {
  const job = (await listJobs(ctx)).find((candidate) => candidate.id === id);
  if (!job) throw new GatewayError('NOT_FOUND', `no cron job ${JSON.stringify(id)}`);
  return job;
}

async function readStoredJobs(ctx: Pick<GatewayContext, 'store'>): Promise<Record<string, StoredJob>> {
  return (await ctx.store.get<Record<string, StoredJob>>(CRON_KEYS.jobs)) ?? {};
}

function stripMeta(stored: StoredJob): CronJobInput {
  const { createdAt: _createdAt, createdBy: _createdBy, ...job } = stored;
  return job;
}

/**
 * Adds a runtime job. Ids are unique across config and store; the job's progress starts now,
 * so nothing from before it existed is "missed".
 */
export async function addJob(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'clock' | 'events'>,
  input: CronJobInput,
  createdBy: string,
): Promise<CronJob> {
  const parsed = cronJob.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError('INVALID_PARAMS', `invalid job: ${formatIssues(parsed.error.issues)}`);
  }
  const job = parsed.data;
  if ((ctx.config().cron?.jobs ?? []).some((existing) => existing.id === job.id)) {
    throw new GatewayError(
      'CONFLICT',
      `job ${JSON.stringify(job.id)} is declared in krabkrab.json; change it there`,
    );
  }
  const createdAt = ctx.clock.now();
  await ctx.store.state<Record<string, StoredJob>>(CRON_KEYS.jobs).update((current) => {
    if (current?.[job.id])
      throw new GatewayError('CONFLICT', `a job with id ${JSON.stringify(job.id)} already exists`);
    return { ...current, [job.id]: { ...job, createdAt, createdBy } };
  });
  // Clear whatever an earlier job of the same id left behind (its progress would skip this one's first runs).
  await removeJobKeys(ctx, job.id);
  ctx.events.emit('cron.changed', { id: job.id, change: 'added' });
  return { ...job, source: 'runtime', createdAt, createdBy };
}

/** Removes a runtime job with its progress and history; config jobs are changed in the config. */
export async function removeJob(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'events'>,
  id: string,
): Promise<void> {
  if ((ctx.config().cron?.jobs ?? []).some((existing) => existing.id === id)) {
    throw new GatewayError(
      'CONFLICT',
      `job ${JSON.stringify(id)} is declared in krabkrab.json; remove it there`,
    );
  }
  let found = false;
  await ctx.store.state<Record<string, StoredJob>>(CRON_KEYS.jobs).update((current) => {
    if (!current?.[id]) return current ?? undefined;
    found = true;
    const { [id]: _removed, ...rest } = current;
    return rest;
  });
  if (!found) throw new GatewayError('NOT_FOUND', `no cron job ${JSON.stringify(id)}`);
  await removeJobKeys(ctx, id);
  ctx.events.emit('cron.changed', { id, change: 'removed' });
}

/** Turns a runtime job off (a one-shot that has run); a no-op for config jobs. */
export async function disableJob(ctx: Pick<GatewayContext, 'store' | 'events'>, id: string): Promise<void> {
  await ctx.store.state<Record<string, StoredJob>>(CRON_KEYS.jobs).update((current) => {
    const job = current?.[id];
    if (!current || !job) return current ?? undefined;
    return { ...current, [id]: { ...job, enabled: false } };
  });
  ctx.events.emit('cron.changed', { id, change: 'disabled' });
}

async function removeJobKeys(ctx: Pick<GatewayContext, 'store'>, id: string): Promise<void> {
  for (const key of await ctx.store.keys(CRON_KEYS.jobPrefix(id))) await ctx.store.remove(key);
}
