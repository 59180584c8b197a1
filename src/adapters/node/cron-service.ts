import type { GatewayContext } from '../../core/context';
import { markInterruptedRuns } from '../../core/cron/history';
import { listJobs } from '../../core/cron/jobs';
import { type CronSchedulerContext, createCronScheduler } from '../../core/cron/scheduler';
import type { NodeService } from './services';

/** How long the first tick waits for the other services (channels) to be up, so catch-up runs can deliver. */
const READY_WAIT_MS = 30_000;
const READY_CHECK_MS = 100;

/**
 * Scheduled jobs on the long-running gateway: croner computes the next due time and one timer
 * wakes the core's tick then. This process holds the state-dir lock, so a run still marked
 * `running` was cut off by a crash: it is marked interrupted, never run again.
 */
export const cronService: NodeService<CronSchedulerContext> = {
  name: 'cron',
  async start({ ctx }) {
    const log = ctx.log.scope('cron');
    const jobs = await listJobs(ctx);
    const interrupted = await markInterruptedRuns(
      ctx,
      jobs.map((job) => job.id),
    );
    if (interrupted > 0)
      log.warn(
        `${interrupted} run(s) were cut off when the gateway stopped; marked interrupted, not run again`,
      );
    const scheduler = createCronScheduler(ctx);
    let stopped = false;
    const started = whenReady(ctx, () => stopped).then(async () => {
      if (!stopped) await scheduler.start();
    });
    ctx.waitUntil(started);
    return {
      async stop() {
        stopped = true;
        scheduler.stop();
      },
    };
  },
};

/** Resolves once the gateway reports `ready` (every service started), or after `READY_WAIT_MS`. */
function whenReady(ctx: Pick<GatewayContext, 'clock' | 'runtime'>, cancelled: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const deadline = ctx.clock.now() + READY_WAIT_MS;
    const check = () => {
      if (cancelled() || ctx.runtime.phase() !== 'starting' || ctx.clock.now() >= deadline) resolve();
      else ctx.clock.setTimer(check, READY_CHECK_MS);
    };
    check();
  });
}
