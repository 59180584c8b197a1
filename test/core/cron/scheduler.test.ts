import { describe, expect, it } from 'vitest';
import { listRuns } from '../../../src/core/cron/history';
import { removeJob } from '../../../src/core/cron/jobs';
import { createCronScheduler, MAX_SLEEP_MS } from '../../../src/core/cron/scheduler';
import { handleScheduledTick } from '../../../src/core/cron/tick';
import { createMemoryStore } from '../../helpers/context';
import { addTextJob, cronSetup, runUntil, timedClock } from './fixtures';

const t = (text: string) => Date.parse(text);

describe('cron scheduler (one timer, re-planned)', () => {
  it('keeps exactly one timer, set to the next run; no polling in between', async () => {
    const clock = timedClock('2026-01-05T08:00:00Z');
    const { ctx, agents } = cronSetup({
      start: 0,
      clock,
      cron: { jobs: [{ id: 'd', schedule: '0 9 * * *', message: 'x' }] },
    });
    const scheduler = createCronScheduler(ctx);
    await scheduler.start();
    expect(clock.pending()).toEqual([t('2026-01-05T09:00:00Z')]);
    expect(scheduler.nextWakeAt()).toBe(t('2026-01-05T09:00:00Z'));
    await runUntil(clock, t('2026-01-05T09:00:00Z'), scheduler.idle);
    expect(agents.turns).toHaveLength(1);
    // The next is more than an hour away: one capped sleep, not a poll every second.
    expect(clock.pending()).toEqual([t('2026-01-05T09:00:00Z') + MAX_SLEEP_MS]);
    let timersFired = 0;
    for (let i = 0; i < 30 && clock.pending()[0]! <= t('2026-01-06T09:00:00Z'); i++) {
      clock.set(clock.pending()[0]!);
      timersFired++;
      await scheduler.idle();
    }
    expect(timersFired).toBe(24);
    expect(agents.turns).toHaveLength(2);
    expect(clock.pending()).toHaveLength(1);
    scheduler.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('re-plans when a job is added or removed, and when the config changes', async () => {
    const clock = timedClock('2026-01-05T08:00:00Z');
    const { ctx, channel } = cronSetup({
      start: 0,
      clock,
      cron: { jobs: [{ id: 'd', schedule: '0 9 * * *', message: 'x' }] },
    });
    const scheduler = createCronScheduler(ctx);
    await scheduler.start();
    await addTextJob(ctx, { id: 'soon', schedule: { every: '10m' }, message: 'tick' });
    await scheduler.idle();
    expect(clock.pending()).toEqual([t('2026-01-05T08:10:00Z')]);
    await runUntil(clock, t('2026-01-05T08:25:00Z'), scheduler.idle);
    expect(channel.sent).toHaveLength(2);
    await removeJob(ctx, 'soon');
    await scheduler.idle();
    expect(clock.pending()).toEqual([t('2026-01-05T09:00:00Z')]);
    await ctx.configStore.apply({
      gateway: { mode: 'local' },
      cron: { jobs: [{ id: 'd', schedule: '30 8 * * *', message: 'x' }] },
    });
    await scheduler.idle();
    expect(clock.pending()).toEqual([t('2026-01-05T08:30:00Z')]);
    await ctx.configStore.apply({ gateway: { mode: 'local' } });
    await scheduler.idle();
    expect(clock.pending()).toEqual([]);
    scheduler.stop();
  });

  it('catches up the most recent missed run once at start, then sleeps until the next', async () => {
    const store = createMemoryStore();
    const cron = { jobs: [{ id: 'h', schedule: '0 * * * *', message: 'x' }] };
    await handleScheduledTick(cronSetup({ start: '2026-01-01T05:30:00Z', cron, store }).ctx);
    const clock = timedClock('2026-01-01T08:10:00Z');
    const { ctx, agents } = cronSetup({ start: 0, clock, cron, store });
    const scheduler = createCronScheduler(ctx);
    await scheduler.start();
    await scheduler.idle();
    expect(agents.turns).toHaveLength(1);
    expect((await listRuns(ctx, 'h')).map((r) => [r.status, r.trigger, r.occurrence])).toEqual([
      ['ok', 'catch-up', '2026-01-01T08:00:00.000Z'],
      ['missed', 'schedule', '2026-01-01T07:00:00.000Z'],
    ]);
    expect(clock.pending()).toEqual([t('2026-01-01T09:00:00Z')]);
    scheduler.stop();
  });

  it('wakes for a retry', async () => {
    const clock = timedClock('2026-01-05T08:59:00Z');
    const { ctx, agents } = cronSetup({
      start: 0,
      clock,
      cron: { jobs: [{ id: 'r', schedule: '0 9 * * *', message: 'x', retry: { attempts: 1, delay: '5m' } }] },
    });
    let calls = 0;
    agents.reply = () => {
      if (++calls === 1) throw new Error('boom');
      return 'ok';
    };
    const scheduler = createCronScheduler(ctx);
    await scheduler.start();
    await runUntil(clock, t('2026-01-05T09:00:00Z'), scheduler.idle);
    expect(clock.pending()).toEqual([t('2026-01-05T09:05:00Z')]);
    await runUntil(clock, t('2026-01-05T09:05:00Z'), scheduler.idle);
    expect((await listRuns(ctx, 'r')).map((r) => r.status)).toEqual(['ok', 'error']);
    scheduler.stop();
  });
});
