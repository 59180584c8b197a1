import { keySegment } from '../storage/store';

/**
 * Store keys of the scheduler, all in the `cron:` namespace. Job ids never start with `_`,
 * so our own per-job records (`_state`, `_runs`) cannot collide with an occurrence claim.
 */
export const CRON_KEYS = {
  /** The jobs created at runtime (CLI, WS, agent tools), one record keyed by id. */
  jobs: 'cron:_jobs',
  /** Progress of one job: the last occurrence handled, a pending retry, recent claims. */
  state: (jobId: string) => `cron:${keySegment(jobId)}:_state`,
  /** The last 50 runs of one job, newest last. */
  runs: (jobId: string) => `cron:${keySegment(jobId)}:_runs`,
  /** Claimed before an occurrence runs: whoever creates it runs the occurrence, nobody else. */
  claim: (jobId: string, occurrence: number, attempt = 1) =>
    `cron:${keySegment(jobId)}:${occurrence}${attempt > 1 ? `-${attempt}` : ''}`,
  /** Every key of one job (for removal). */
  jobPrefix: (jobId: string) => `cron:${keySegment(jobId)}:`,
} as const;
