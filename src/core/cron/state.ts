import type { GatewayContext } from '../context';
import { CRON_KEYS } from './keys';

/** Claims kept per job; older ones are deleted (their occurrences lie behind the watermark for good). */
const CLAIMS_KEPT = 20;

/** A job's progress in the store (`cron:<id>:_state`). */
export interface JobState {
  /** Every occurrence at or before this (epoch ms) has been run, claimed or recorded as missed. */
  watermark: number;
  /** What the schedule was when the watermark was set; a changed schedule starts afresh. */
  fingerprint: string;
  /** A failed run waiting for its next attempt. */
  retry?: { occurrence: number; attempt: number; at: number };
  /** Recent claim keys, so old claims can be deleted without listing the store. */
  claims?: string[];
}

export function jobState(ctx: Pick<GatewayContext, 'store'>, jobId: string) {
  return ctx.store.state<JobState>(CRON_KEYS.state(jobId));
}

/** Claims an occurrence (attempt) for this process; false when another tick already has it. */
export async function claimOccurrence(
  ctx: Pick<GatewayContext, 'store' | 'clock' | 'runtime'>,
  jobId: string,
  occurrence: number,
  attempt: number,
): Promise<boolean> {
  const key = CRON_KEYS.claim(jobId, occurrence, attempt);
  if (!(await ctx.store.claim(key, { claimedAt: ctx.clock.now(), pid: ctx.runtime.pid ?? null })))
    return false;
  let dropped: string[] = [];
  await jobState(ctx, jobId).update((current) => {
    if (!current) return undefined;
    const claims = [...(current.claims ?? []), key];
    dropped = claims.slice(0, Math.max(0, claims.length - CLAIMS_KEPT));
    return { ...current, claims: claims.slice(-CLAIMS_KEPT) };
  });
  for (const old of dropped) await ctx.store.remove(old);
  return true;
}

/** Schedules the next attempt of a failed run (replacing any older pending retry). */
export async function scheduleRetry(
  ctx: Pick<GatewayContext, 'store'>,
  jobId: string,
  retry: NonNullable<JobState['retry']>,
): Promise<void> {
  await jobState(ctx, jobId).update((current) => (current ? { ...current, retry } : undefined));
}
