import type { GatewayContext } from '../context';
import type { RunRecord } from './history';
import { type CronTickContext, handleScheduledTick } from './tick';

/** Longest sleep between ticks: a safety net for clock jumps, not polling. */
export const MAX_SLEEP_MS = 60 * 60_000;
/** When a tick finds work it could not take (a store error), the next one waits at least this long. */
const RETRY_GAP_MS = 1000;

export interface CronScheduler {
  /** Runs the first tick (catch-up) and keeps one timer set for the next due time. */
  start(): Promise<void>;
  stop(): void;
  /** Ticks now and re-plans (a job or the config changed). */
  wake(): void;
  /** When the timer fires next (epoch ms), or null when nothing is scheduled. */
  nextWakeAt(): number | null;
  /** Resolves when no tick is pending and every run started so far has settled (for tests and shutdown). */
  idle(): Promise<void>;
}

/** What the scheduler reads: what a tick reads, and config changes (a job's schedule may change). */
export type CronSchedulerContext = CronTickContext & Pick<GatewayContext, 'configStore'>;

/**
 * The long-running driver of `handleScheduledTick`: one timer through `ctx.clock`, set to the
 * next due time croner computes; re-planned when a tick or a run ends, when a job is added or
 * removed, and when the config changes. No per-second polling.
 */
export function createCronScheduler(ctx: CronSchedulerContext): CronScheduler {
  const log = ctx.log.scope('cron');
  let stopped = false;
  let cancelTimer: (() => void) | undefined;
  let wakeAt: number | null = null;
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const inFlight = new Set<Promise<RunRecord>>();
  const unsubscribers: Array<() => void> = [];

  function arm(next: number | null, now: number): void {
    cancelTimer?.();
    cancelTimer = undefined;
    wakeAt = next;
    if (next === null || stopped) return;
    const delay = Math.min(Math.max(next - now, 0), MAX_SLEEP_MS);
    cancelTimer = ctx.clock.setTimer(() => {
      cancelTimer = undefined;
      wake();
    }, delay);
  }

  async function tick(): Promise<void> {
    queued = false;
    if (stopped) return;
    const now = ctx.clock.now();
    try {
      const result = await handleScheduledTick(ctx, now);
      for (const run of result.runs) {
        inFlight.add(run);
        // A finished run may have planned a retry or switched a one-shot off: plan again.
        const settled = () => {
          inFlight.delete(run);
          wake();
        };
        // The run's own failure is logged through waitUntil; here it only means "plan again".
        void run.then(settled, settled);
      }
      const next =
        result.nextWakeAt !== null && result.nextWakeAt <= now && result.runs.length === 0
          ? now + RETRY_GAP_MS
          : result.nextWakeAt;
      arm(next, ctx.clock.now());
    } catch (error) {
      log.error('tick failed', error);
      arm(ctx.clock.now() + RETRY_GAP_MS * 60, ctx.clock.now());
    }
  }

  function wake(): void {
    if (stopped || queued) return;
    queued = true;
    chain = chain.then(tick);
  }

  return {
    async start() {
      unsubscribers.push(
        ctx.events.subscribe((event) => {
          if (event === 'cron.changed') wake();
        }),
        ctx.configStore.onChange((next, previous) => {
          if (JSON.stringify(next.config.cron) !== JSON.stringify(previous.config.cron)) wake();
        }),
      );
      wake();
      await chain;
      log.info(
        wakeAt === null
          ? 'scheduler started: no jobs scheduled'
          : `scheduler started: next run at ${new Date(wakeAt).toISOString()}`,
      );
    },
    stop() {
      stopped = true;
      cancelTimer?.();
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    },
    wake,
    nextWakeAt: () => wakeAt,
    async idle() {
      for (let round = 0; round < 100; round++) {
        await chain;
        if (inFlight.size === 0 && !queued) return;
        await Promise.allSettled([...inFlight]);
      }
    },
  };
}
