import { describe, expect, it, vi } from 'vitest';
import { listRuns, markInterruptedRuns } from '../../../src/core/cron/history';
import { getJob, listJobs } from '../../../src/core/cron/jobs';
import { CRON_KEYS } from '../../../src/core/cron/keys';
import { REMINDER_PREFIX } from '../../../src/core/cron/run-job';
import { handleScheduledTick, nextWakeAt } from '../../../src/core/cron/tick';
import { createMemoryStore, createTestContext } from '../../helpers/context';
import { addTextJob, cronSetup, iso } from './fixtures';

const t = (text: string) => Date.parse(text);

async function tick(ctx: Parameters<typeof handleScheduledTick>[0], at?: number) {
  const result = await handleScheduledTick(ctx, at);
  const runs = await Promise.all(result.runs);
  return { ...result, records: runs };
}

describe('handleScheduledTick', () => {
  it('runs a cron job through the agent in its own session and delivers the reply to the channel', async () => {
    const { ctx, clock, channel, agents } = cronSetup({
      start: '2026-01-05T08:59:00Z',
      cron: {
        jobs: [
          {
            id: 'digest',
            schedule: '0 9 * * *',
            message: 'Summarize',
            agentId: 'main',
            deliver: { channel: 'test', to: 'chat-1' },
          },
        ],
      },
    });
    expect((await tick(ctx)).records).toEqual([]);
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-05T09:00:00Z'));
    clock.set(t('2026-01-05T09:00:00Z'));
    const { records, nextWakeAt: next } = await tick(ctx);
    expect(records.map((r) => [r.status, r.trigger, r.occurrence])).toEqual([
      ['ok', 'schedule', '2026-01-05T09:00:00.000Z'],
    ]);
    expect(agents.turns).toEqual([
      {
        agentId: 'main',
        sessionKey: 'agent:main:cron:digest:main',
        message: 'Summarize',
        origin: { channel: 'test', accountId: 'default', chatId: 'chat-1' },
      },
    ]);
    expect(channel.sent).toEqual([
      { target: { channel: 'test', accountId: 'default', chatId: 'chat-1' }, text: 'done: Summarize' },
    ]);
    expect(next).toBe(t('2026-01-06T09:00:00Z'));
    // The same instant again: nothing more.
    expect((await tick(ctx)).records).toEqual([]);
    expect(ctx.lines.map((l) => l.line)).toContain(
      '[cron] job digest: running (scheduled for 2026-01-05T09:00:00.000Z)',
    );
  });

  it('splits a long reply to the channel limit', async () => {
    const { ctx, clock, agents, store } = cronSetup({
      start: '2026-01-05T08:59:00Z',
      cron: {
        jobs: [{ id: 'long', schedule: '0 9 * * *', message: 'x', deliver: { channel: 'small', to: 'c' } }],
      },
    });
    const small = (await import('./fixtures')).recordingChannel('small', 20);
    ctx.channels.register(small);
    agents.reply = () => 'word '.repeat(20).trim();
    await tick(ctx);
    clock.set(t('2026-01-05T09:00:00Z'));
    const { records } = await tick(ctx);
    expect(records[0]?.delivered).toBe(small.sent.length);
    expect(small.sent.length).toBeGreaterThan(1);
    expect(small.sent.every((m) => m.text.length <= 20)).toBe(true);
    expect(small.sent.map((m) => m.text).join(' ')).toBe('word '.repeat(20).trim());
    expect(store).toBeDefined();
  });

  it('interval jobs run every interval from when they were added', async () => {
    const { ctx, clock, channel } = cronSetup({ start: '2026-01-01T10:07:00Z' });
    await addTextJob(ctx, { id: 'ping', schedule: { every: '30m' }, message: 'ping' });
    const times: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await nextWakeAt(ctx);
      if (next === null) throw new Error('nothing scheduled');
      clock.set(next);
      const { records } = await tick(ctx);
      times.push(...records.map((r) => r.occurrence));
    }
    expect(times).toEqual([
      '2026-01-01T10:37:00.000Z',
      '2026-01-01T11:07:00.000Z',
      '2026-01-01T11:37:00.000Z',
      '2026-01-01T12:07:00.000Z',
    ]);
    expect(channel.sent.map((m) => m.text)).toEqual(Array(4).fill(`${REMINDER_PREFIX}ping`));
  });

  it('a one-shot runs once; a runtime one-shot is then switched off and keeps its history', async () => {
    const { ctx, clock, channel } = cronSetup({ start: '2026-04-01T06:00:00Z' });
    await addTextJob(ctx, {
      id: 'once',
      schedule: { at: '2026-04-01T09:00' },
      tz: 'Europe/Berlin',
      message: 'stand up',
    });
    expect(await nextWakeAt(ctx)).toBe(t('2026-04-01T07:00:00Z'));
    clock.set(t('2026-04-01T07:00:00Z'));
    expect((await tick(ctx)).records.map((r) => r.status)).toEqual(['ok']);
    expect(channel.sent.map((m) => m.text)).toEqual([`${REMINDER_PREFIX}stand up`]);
    expect((await getJob(ctx, 'once')).enabled).toBe(false);
    expect(await nextWakeAt(ctx)).toBeNull();
    clock.advance(86_400_000);
    expect((await tick(ctx)).records).toEqual([]);
    expect((await listRuns(ctx, 'once')).map((r) => r.status)).toEqual(['ok']);
  });

  it('Europe/Berlin across the 2026-03-29 DST change: a 02:30 job runs at 03:00 CEST, once', async () => {
    const { ctx, clock, agents } = cronSetup({
      start: '2026-03-28T00:00:00Z',
      cron: { timezone: 'Europe/Berlin', jobs: [{ id: 'night', schedule: '30 2 * * *', message: 'n' }] },
    });
    await tick(ctx);
    const ran: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await nextWakeAt(ctx);
      if (next === null) throw new Error('nothing scheduled');
      clock.set(next);
      ran.push(...(await tick(ctx)).records.map((r) => r.occurrence));
    }
    expect(ran).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(agents.turns).toHaveLength(3);
  });

  it('America/New_York across spring forward and fall back: 09:00 stays 09:00 local, 01:30 runs once', async () => {
    const { ctx, clock } = cronSetup({
      start: '2026-03-07T12:00:00Z',
      cron: {
        jobs: [
          { id: 'morning', schedule: '0 9 * * *', tz: 'America/New_York', message: 'm' },
          { id: 'late', schedule: '30 1 * * *', tz: 'America/New_York', message: 'l' },
        ],
      },
    });
    await tick(ctx);
    const ran: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await nextWakeAt(ctx);
      if (next === null) throw new Error('nothing scheduled');
      clock.set(next);
      ran.push(...(await tick(ctx)).records.map((r) => `${r.jobId}@${r.occurrence}`));
    }
    expect(ran).toEqual([
      'morning@2026-03-07T14:00:00.000Z',
      'late@2026-03-08T06:30:00.000Z',
      'morning@2026-03-08T13:00:00.000Z',
      'late@2026-03-09T05:30:00.000Z',
    ]);
    clock.set(t('2026-10-31T12:00:00Z'));
    await tick(ctx); // two-hundred-odd days later: recorded as missed, nothing replayed
    const fall: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await nextWakeAt(ctx);
      if (next === null) throw new Error('nothing scheduled');
      clock.set(next);
      fall.push(...(await tick(ctx)).records.filter((r) => r.jobId === 'late').map((r) => r.occurrence));
    }
    expect(fall).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('two concurrent ticks on one store run an occurrence once', async () => {
    const store = createMemoryStore();
    const cron = { jobs: [{ id: 'j', schedule: '*/5 * * * *', message: 'x' }] };
    const a = cronSetup({ start: '2026-01-01T00:04:00Z', cron, store });
    const b = cronSetup({ start: '2026-01-01T00:04:00Z', cron, store, clock: a.clock });
    await tick(a.ctx);
    a.clock.set(t('2026-01-01T00:05:00Z'));
    const [ra, rb] = await Promise.all([tick(a.ctx), tick(b.ctx)]);
    expect(ra.records.length + rb.records.length).toBe(1);
    expect(a.agents.turns.length + b.agents.turns.length).toBe(1);
    expect(await store.has(CRON_KEYS.claim('j', t('2026-01-01T00:05:00Z'), 1))).toBe(true);
    expect(await listRuns(a.ctx, 'j')).toHaveLength(1);
  });

  it('a claimed occurrence is never run by anyone else', async () => {
    const { ctx, clock, agents, store } = cronSetup({
      start: '2026-01-01T00:04:00Z',
      cron: { jobs: [{ id: 'j', schedule: '*/5 * * * *', message: 'x' }] },
    });
    await tick(ctx);
    await store.claim(CRON_KEYS.claim('j', t('2026-01-01T00:05:00Z')), { claimedAt: 0 });
    clock.set(t('2026-01-01T00:05:00Z'));
    expect((await tick(ctx)).records).toEqual([]);
    expect(agents.turns).toEqual([]);
    clock.set(t('2026-01-01T00:10:00Z'));
    expect((await tick(ctx)).records).toHaveLength(1);
  });

  it('a crash during a run: the restarted gateway does not run that occurrence again and marks it interrupted', async () => {
    const store = createMemoryStore();
    const cron = { jobs: [{ id: 'j', schedule: '0 * * * *', message: 'x' }] };
    const first = cronSetup({ start: '2026-01-01T00:30:00Z', cron, store });
    first.agents.reply = () => new Promise(() => {}); // the process dies while the model works
    await tick(first.ctx);
    first.clock.set(t('2026-01-01T01:00:00Z'));
    const started = await handleScheduledTick(first.ctx);
    expect(started.runs).toHaveLength(1);
    // The run records itself as running before it asks the agent.
    await vi.waitFor(() => expect(first.agents.turns).toHaveLength(1), { timeout: 5_000 });
    expect((await listRuns(first.ctx, 'j')).map((r) => r.status)).toEqual(['running']);

    const second = cronSetup({ start: '2026-01-01T01:00:30Z', cron, store });
    expect(
      await markInterruptedRuns(
        second.ctx,
        (await listJobs(second.ctx)).map((j) => j.id),
      ),
    ).toBe(1);
    expect((await tick(second.ctx)).records).toEqual([]);
    second.clock.set(t('2026-01-01T01:20:00Z'));
    expect((await tick(second.ctx)).records).toEqual([]);
    expect(second.agents.turns).toEqual([]);
    expect((await listRuns(second.ctx, 'j')).map((r) => r.status)).toEqual(['interrupted']);
    second.clock.set(t('2026-01-01T02:00:00Z'));
    expect((await tick(second.ctx)).records.map((r) => r.status)).toEqual(['ok']);
  });

  it('after downtime only the most recent missed occurrence runs (once); the rest are recorded as missed', async () => {
    const store = createMemoryStore();
    const cron = { catchUpMinutes: 60, jobs: [{ id: 'q', schedule: '*/15 * * * *', message: 'x' }] };
    const before = cronSetup({ start: '2026-01-01T08:00:00Z', cron, store });
    await tick(before.ctx);
    // Down from 08:00:30 to 10:20: 08:15 ... 10:15 were missed (9 occurrences).
    const after = cronSetup({ start: '2026-01-01T10:20:00Z', cron, store });
    const first = await tick(after.ctx);
    expect(first.records.map((r) => [r.trigger, r.occurrence])).toEqual([
      ['catch-up', '2026-01-01T10:15:00.000Z'],
    ]);
    expect(first.missed).toBe(8);
    const runs = await listRuns(after.ctx, 'q');
    expect(runs.map((r) => r.status)).toEqual(['ok', 'missed']);
    expect(runs[1]).toMatchObject({
      count: 8,
      from: '2026-01-01T08:15:00.000Z',
      to: '2026-01-01T10:00:00.000Z',
    });
    expect(
      after.ctx.lines.some((l) =>
        /job q: 8 run\(s\) missed between 2026-01-01T08:15:00.000Z and 2026-01-01T10:00:00.000Z/.test(l.line),
      ),
    ).toBe(true);
    expect((await tick(after.ctx)).records).toEqual([]);
    expect(after.agents.turns).toHaveLength(1);
  });

  it('a missed occurrence older than catchUpMinutes does not run', async () => {
    const store = createMemoryStore();
    const cron = { catchUpMinutes: 30, jobs: [{ id: 'daily', schedule: '0 9 * * *', message: 'x' }] };
    await tick(cronSetup({ start: '2026-01-01T08:00:00Z', cron, store }).ctx);
    const after = cronSetup({ start: '2026-01-01T09:45:00Z', cron, store });
    const result = await tick(after.ctx);
    expect(result.records).toEqual([]);
    expect(result.missed).toBe(1);
    expect(after.agents.turns).toEqual([]);
    expect(await nextWakeAt(after.ctx)).toBe(t('2026-01-02T09:00:00Z'));
  });

  it('a job first seen in the config does not replay what came before it', async () => {
    const { ctx, agents } = cronSetup({
      start: '2026-01-01T09:10:00Z',
      cron: { jobs: [{ id: 'new', schedule: '0 9 * * *', message: 'x' }] },
    });
    expect((await tick(ctx)).records).toEqual([]);
    expect(agents.turns).toEqual([]);
  });

  it('failures are recorded and logged, then retried per `retry` with a doubling delay', async () => {
    const { ctx, clock, agents, channel } = cronSetup({
      start: '2026-01-01T08:59:00Z',
      cron: {
        jobs: [
          {
            id: 'flaky',
            schedule: '0 9 * * *',
            message: 'x',
            deliver: { channel: 'test', to: 'c' },
            retry: { attempts: 2, delay: '1m' },
          },
        ],
      },
    });
    let calls = 0;
    agents.reply = () => {
      calls++;
      if (calls <= 2) throw new Error(`model overloaded (${calls})`);
      return 'finally';
    };
    await tick(ctx);
    clock.set(t('2026-01-01T09:00:00Z'));
    expect((await tick(ctx)).records.map((r) => [r.status, r.error])).toEqual([
      ['error', 'model overloaded (1)'],
    ]);
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-01T09:01:00Z'));
    clock.set(t('2026-01-01T09:01:00Z'));
    expect((await tick(ctx)).records.map((r) => [r.status, r.trigger, r.attempt])).toEqual([
      ['error', 'retry', 2],
    ]);
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-01T09:03:00Z'));
    clock.set(t('2026-01-01T09:03:00Z'));
    expect((await tick(ctx)).records.map((r) => [r.status, r.attempt])).toEqual([['ok', 3]]);
    expect(channel.sent.map((m) => m.text)).toEqual(['finally']);
    expect(ctx.lines.filter((l) => l.level === 'error').map((l) => l.line)).toEqual([
      '[cron] job flaky: failed after 0ms: model overloaded (1)',
      '[cron] job flaky: failed after 0ms: model overloaded (2)',
    ]);
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-02T09:00:00Z'));
  });

  it('without `retry` a failure is recorded once; a delivery to a channel that is not running is a failure', async () => {
    const { ctx, clock } = cronSetup({
      start: '2026-01-01T08:59:00Z',
      cron: {
        jobs: [
          { id: 'nowhere', schedule: '0 9 * * *', message: 'x', deliver: { channel: 'discord', to: 'c' } },
        ],
      },
    });
    await tick(ctx);
    clock.set(t('2026-01-01T09:00:00Z'));
    const { records } = await tick(ctx);
    expect(records[0]).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/channel "discord" is not running/),
    });
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-02T09:00:00Z'));
  });

  it('an occurrence that comes while the previous run still works is skipped, not stacked', async () => {
    const { ctx, clock, agents } = cronSetup({
      start: '2026-01-01T00:00:30Z',
      cron: { jobs: [{ id: 'slow', schedule: '* * * * *', message: 'x' }] },
    });
    let release: (text: string) => void = () => {};
    agents.reply = () => new Promise((resolve) => (release = resolve));
    await tick(ctx);
    clock.set(t('2026-01-01T00:01:00Z'));
    const first = await handleScheduledTick(ctx);
    clock.set(t('2026-01-01T00:02:00Z'));
    const second = await tick(ctx);
    expect(second.records.map((r) => r.status)).toEqual(['skipped']);
    release('late');
    expect((await Promise.all(first.runs)).map((r) => r.status)).toEqual(['ok']);
    expect(agents.turns).toHaveLength(1);
  });

  it('history keeps the last 50 runs', async () => {
    const { ctx, clock } = cronSetup({
      start: '2026-01-01T00:00:00Z',
      cron: { jobs: [{ id: 'm', schedule: '* * * * *', message: 'x', mode: 'text' }] },
    });
    await tick(ctx);
    for (let i = 1; i <= 55; i++) {
      clock.set(t('2026-01-01T00:00:00Z') + i * 60_000);
      await tick(ctx);
    }
    const runs = await listRuns(ctx, 'm');
    expect(runs).toHaveLength(50);
    expect(runs[0]?.occurrence).toBe(iso(t('2026-01-01T00:55:00Z')));
    // Old claims are pruned as new ones come.
    expect((await ctx.store.keys('cron:m:')).filter((k) => /:\d+$/.test(k)).length).toBeLessThanOrEqual(20);
  });

  it('switched-off jobs and a switched-off scheduler run nothing, and switching back on replays nothing', async () => {
    const { ctx, clock, agents } = cronSetup({
      start: '2026-01-01T00:00:00Z',
      cron: { enabled: false, jobs: [{ id: 'h', schedule: '0 * * * *', message: 'x' }] },
    });
    await tick(ctx);
    expect(await nextWakeAt(ctx)).toBeNull();
    clock.set(t('2026-01-01T05:30:00Z'));
    await tick(ctx);
    await ctx.configStore.apply({
      gateway: { mode: 'local' },
      cron: { jobs: [{ id: 'h', schedule: '0 * * * *', message: 'x' }] },
    });
    expect((await tick(ctx)).records).toEqual([]);
    expect(await nextWakeAt(ctx)).toBe(t('2026-01-01T06:00:00Z'));
    expect(agents.turns).toEqual([]);
  });

  it('a job without a delivery target still runs and keeps the start of its reply', async () => {
    const { ctx, clock, channel, agents } = cronSetup({
      start: '2026-01-01T08:59:00Z',
      cron: { jobs: [{ id: 'quiet', schedule: '0 9 * * *', message: 'x' }] },
    });
    agents.reply = () => 'y'.repeat(600);
    await tick(ctx);
    clock.set(t('2026-01-01T09:00:00Z'));
    const { records } = await tick(ctx);
    expect(records[0]).toMatchObject({ status: 'ok', delivered: 0 });
    expect(records[0]?.output).toHaveLength(500);
    expect(channel.sent).toEqual([]);
  });

  it('no jobs: nothing runs and nothing wakes', async () => {
    const ctx = createTestContext({ config: { gateway: { mode: 'local' } } });
    expect(await nextWakeAt(ctx)).toBeNull();
    expect((await handleScheduledTick(ctx)).runs).toEqual([]);
  });
});
