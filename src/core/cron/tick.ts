import type { GatewayContext } from '../context';
import { DEFAULT_CATCH_UP_MINUTES } from './config';
import { type RunRecord, recordRun } from './history';
import { type CronJob, listJobs } from './jobs';
import { CRON_KEYS } from './keys';
import { type CronRunContext, executeRun, type RunRequest } from './run-job';
import { type Occurrences, occurrencesOf } from './schedule';
import { claimOccurrence, type JobState, jobState } from './state';

/** What the tick uses: running jobs, and `waitUntil` for the runs it starts. */
export type CronTickContext = CronRunContext & Pick<GatewayContext, 'config' | 'runtime' | 'waitUntil'>;

/** Missed occurrences are counted up to this many (a per-second job down for a week would be millions). */
const MISSED_CAP = 1000;
/** A run later than this after its time is called a catch-up in the history and the log. */
const LATE_MS = 60_000;

export interface TickResult {
  /** The runs this tick started, each settling with its record; already handed to `ctx.waitUntil`. */
  runs: Promise<RunRecord>[];
  /** Occurrences recorded as missed by this tick. */
  missed: number;
  /** When something is due next (epoch ms), or null when nothing is scheduled. */
  nextWakeAt: number | null;
}

interface Plan {
  state: JobState;
  changed: boolean;
  run?: RunRequest;
  missed?: { count: number; from: number; to: number };
}

/**
 * The scheduled-tick handler: runs what is due at `now`, at most once per occurrence. Node calls
 * it when its one timer fires (at `nextWakeAt`), Workers from `scheduled()` every minute; both
 * are safe to overlap, because each occurrence is claimed in the store before it runs. Of the
 * occurrences missed while nobody ticked, only the most recent runs, and only if it is at most
 * `cron.catchUpMinutes` old; the others are recorded as missed.
 */
export async function handleScheduledTick(
  ctx: CronTickContext,
  now: number = ctx.clock.now(),
): Promise<TickResult> {
  const log = ctx.log.scope('cron');
  const jobs = await listJobs(ctx);
  const result: TickResult = { runs: [], missed: 0, nextWakeAt: null };
  for (const job of jobs) {
    try {
      const plan = await planAndCommit(ctx, job, now);
      if (plan?.missed) {
        result.missed += plan.missed.count;
        await recordMissed(ctx, job, plan.missed, now);
      }
      if (!plan?.run) continue;
      if (!(await claimOccurrence(ctx, job.id, plan.run.occurrence, plan.run.attempt))) {
        log.debug(
          `job ${job.id}: the run for ${new Date(plan.run.occurrence).toISOString()} is already claimed`,
        );
        continue;
      }
      const run = executeRun(ctx, job, plan.run);
      ctx.waitUntil(run);
      result.runs.push(run);
    } catch (error) {
      log.error(`job ${job.id}: could not be scheduled`, error);
    }
  }
  result.nextWakeAt = await nextWakeAt(ctx, now, jobs);
  return result;
}

/** When the next tick should happen: the earliest due occurrence or retry of any enabled job. */
export async function nextWakeAt(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock'>,
  now: number = ctx.clock.now(),
  jobs?: CronJob[],
): Promise<number | null> {
  if (ctx.config().cron?.enabled === false) return null;
  let earliest: number | null = null;
  for (const job of jobs ?? (await listJobs(ctx))) {
    if (job.enabled === false) continue;
    try {
      const occurrences = occurrencesFor(ctx, job);
      const state = currentState(job, occurrences, await jobState(ctx, job.id).get(), now);
      const latest = occurrences.latest(now);
      const candidates = [
        latest !== null && latest > state.watermark ? now : occurrences.next(Math.max(now, state.watermark)),
        state.retry?.at ?? null,
      ];
      for (const at of candidates) if (at !== null && (earliest === null || at < earliest)) earliest = at;
    } catch {
      // A job whose schedule cannot be read is logged by the tick; it never wakes anything.
    }
  }
  return earliest === null ? null : Math.max(earliest, now);
}

function occurrencesFor(ctx: Pick<GatewayContext, 'config'>, job: CronJob): Occurrences {
  return occurrencesOf(job.schedule, {
    timezone: job.tz ?? ctx.config().cron?.timezone ?? 'UTC',
    ...(job.source === 'runtime' && job.createdAt !== undefined ? { anchor: job.createdAt } : {}),
  });
}

/** The state to plan from: a job seen for the first time, or whose schedule changed, starts at `now` (one-shots: at the beginning). */
function currentState(
  job: CronJob,
  occurrences: Occurrences,
  stored: JobState | null,
  now: number,
): JobState {
  if (stored && stored.fingerprint === occurrences.fingerprint) return stored;
  const start = occurrences.kind === 'at' ? 0 : stored ? now : (job.createdAt ?? now);
  return {
    watermark: start,
    fingerprint: occurrences.fingerprint,
    ...(stored?.claims ? { claims: stored.claims } : {}),
  };
}

/** Decides what is due for one job; a pure function of the job, its state and `now`. */
function plan(
  ctx: Pick<GatewayContext, 'config'>,
  job: CronJob,
  occurrences: Occurrences,
  stored: JobState | null,
  now: number,
): Plan {
  const state = currentState(job, occurrences, stored, now);
  const changed = state !== stored;
  const latest = occurrences.latest(now);
  const active = job.enabled !== false && ctx.config().cron?.enabled !== false;
  if (latest !== null && latest > state.watermark) {
    const next: JobState = { ...state, watermark: latest };
    delete next.retry;
    // Switched off: move on silently, so switching it back on does not replay the pause.
    if (!active) return { state: next, changed: true };
    const catchUpMs = (ctx.config().cron?.catchUpMinutes ?? DEFAULT_CATCH_UP_MINUTES) * 60_000;
    const total = occurrences.count(state.watermark, latest, MISSED_CAP);
    const runIt = now - latest <= catchUpMs;
    const result: Plan = { state: next, changed: true };
    if (runIt)
      result.run = {
        occurrence: latest,
        attempt: 1,
        trigger: now - latest > LATE_MS ? 'catch-up' : 'schedule',
      };
    const missedCount = runIt ? total - 1 : total;
    if (missedCount > 0) {
      const from = occurrences.next(state.watermark) ?? latest;
      const to = runIt ? (occurrences.latest(latest - 1) ?? from) : latest;
      result.missed = { count: missedCount, from, to };
    }
    return result;
  }
  if (active && state.retry && state.retry.at <= now) {
    const next: JobState = { ...state };
    delete next.retry;
    return {
      state: next,
      changed: true,
      run: { occurrence: state.retry.occurrence, attempt: state.retry.attempt, trigger: 'retry' },
    };
  }
  return { state, changed };
}

/**
 * Plans on a plain read first (most ticks change nothing for most jobs: no write), then commits
 * inside the job's state cell, re-planning on the value there so two overlapping ticks cannot
 * both take the same occurrence.
 */
async function planAndCommit(
  ctx: Pick<GatewayContext, 'config' | 'store'>,
  job: CronJob,
  now: number,
): Promise<Plan | undefined> {
  const occurrences = occurrencesFor(ctx, job);
  const cell = jobState(ctx, job.id);
  if (!plan(ctx, job, occurrences, await ctx.store.get<JobState>(CRON_KEYS.state(job.id)), now).changed)
    return undefined;
  let committed: Plan | undefined;
  await cell.update((current) => {
    committed = plan(ctx, job, occurrences, current, now);
    return committed.state;
  });
  return committed;
}

async function recordMissed(
  ctx: Pick<GatewayContext, 'store' | 'events' | 'log'>,
  job: CronJob,
  missed: NonNullable<Plan['missed']>,
  now: number,
): Promise<void> {
  const from = new Date(missed.from).toISOString();
  const to = new Date(missed.to).toISOString();
  const count = missed.count >= MISSED_CAP ? `${MISSED_CAP}+` : String(missed.count);
  ctx.log
    .scope('cron')
    .warn(
      `job ${job.id}: ${count} run(s) missed between ${from} and ${to} (the gateway was not running); not run`,
    );
  await recordRun(ctx, {
    runId: `missed-${missed.to}`,
    jobId: job.id,
    occurrence: to,
    trigger: 'schedule',
    attempt: 1,
    status: 'missed',
    startedAt: new Date(now).toISOString(),
    count: missed.count,
    from,
    to,
  });
}
