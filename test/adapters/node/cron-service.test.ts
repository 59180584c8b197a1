import { describe, expect, it } from 'vitest';
import { cronService } from '../../../src/adapters/node/cron-service';
import type { Phase } from '../../../src/core/context';
import { listRuns, recordRun } from '../../../src/core/cron/history';
import { cronSetup, timedClock } from '../../core/cron/fixtures';

const t = (text: string) => Date.parse(text);

describe('Node cron service', () => {
  it('marks runs cut off by a crash as interrupted, waits for the gateway to be ready, then keeps one timer', async () => {
    const clock = timedClock('2026-01-05T08:30:00Z');
    const { ctx, agents } = cronSetup({
      start: 0,
      clock,
      cron: { jobs: [{ id: 'd', schedule: '0 9 * * *', message: 'x' }] },
    });
    let phase: Phase = 'starting';
    ctx.runtime.phase = () => phase;
    await recordRun(ctx, {
      runId: 'x-1',
      jobId: 'd',
      occurrence: '2026-01-05T08:00:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'running',
      startedAt: '2026-01-05T08:00:00.000Z',
    });

    const handle = await cronService.start({ ctx, stateDir: '/nonexistent', port: 0, host: '127.0.0.1' });
    expect((await listRuns(ctx, 'd')).map((r) => r.status)).toEqual(['interrupted']);
    expect(ctx.lines.map((l) => l.line)).toContain(
      '[cron] 1 run(s) were cut off when the gateway stopped; marked interrupted, not run again',
    );
    // Still starting: only the readiness check is waiting, no job timer yet.
    expect(clock.pending()).toEqual([t('2026-01-05T08:30:00.100Z')]);
    phase = 'ready';
    clock.advance(100);
    await ctx.settle();
    expect(clock.pending()).toEqual([t('2026-01-05T09:00:00Z')]);
    expect(ctx.lines.map((l) => l.line)).toContain(
      '[cron] scheduler started: next run at 2026-01-05T09:00:00.000Z',
    );
    clock.set(t('2026-01-05T09:00:00Z'));
    for (let i = 0; i < 200 && (await listRuns(ctx, 'd'))[0]?.status !== 'ok'; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(agents.turns).toHaveLength(1);
    expect((await listRuns(ctx, 'd')).map((r) => r.status)).toEqual(['ok', 'interrupted']);
    await handle?.stop();
    expect(clock.pending()).toEqual([]);
  });
});
