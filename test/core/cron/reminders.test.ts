import { describe, expect, it } from 'vitest';
import { listRuns } from '../../../src/core/cron/history';
import { listJobs } from '../../../src/core/cron/jobs';
import { REMINDER_PREFIX } from '../../../src/core/cron/run-job';
import { createCronScheduler } from '../../../src/core/cron/scheduler';
import type { RoutedRequest } from '../../../src/core/providers/types';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';
import { runUntil, timedClock } from './fixtures';

const t = (text: string) => Date.parse(text);
const agents = { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] };

function setup(start = '2026-03-28T20:00:00Z') {
  const clock = timedClock(start);
  const models = createScriptedRouter();
  const ctx = createTestContext({ config: { agents, cron: { timezone: 'Europe/Berlin' } }, models, clock });
  const channel = createTestChannel();
  ctx.channels.register(channel);
  const scheduler = createCronScheduler(ctx);
  return { ctx, clock, models, channel, scheduler };
}

const call = (name: string, args: unknown) => ({
  text: '',
  toolCalls: [{ name, arguments: JSON.stringify(args) }],
});

/** What the tool answered, as the model saw it in its next request. */
function toolResult(request: RoutedRequest | undefined): { content: string; isError?: boolean } {
  const message = request?.messages.findLast((m) => m.role === 'tool');
  if (message?.role !== 'tool') throw new Error('no tool result in the request');
  return { content: message.content, ...(message.isError ? { isError: true } : {}) };
}

describe('an agent job through the real agent runtime', () => {
  it('runs in its own session (agent:<id>:cron:<job>:main) and delivers the reply to its chat', async () => {
    const clock = timedClock('2026-01-05T08:59:00Z');
    const models = createScriptedRouter({
      replies: [{ text: 'Good morning: 3 meetings today.' }, { text: 'Second day.' }],
    });
    const ctx = createTestContext({
      config: {
        agents,
        cron: {
          jobs: [
            {
              id: 'brief',
              schedule: '0 9 * * *',
              message: 'Brief me',
              deliver: { channel: 'test', to: 'owner', accountId: 'bot1' },
            },
          ],
        },
      },
      models,
      clock,
    });
    const channel = createTestChannel();
    ctx.channels.register(channel);
    const scheduler = createCronScheduler(ctx);
    await scheduler.start();
    await runUntil(clock, t('2026-01-06T09:00:00Z'), scheduler.idle);
    expect(channel.sent).toEqual([
      {
        target: { channel: 'test', accountId: 'bot1', chatId: 'owner' },
        text: 'Good morning: 3 meetings today.',
      },
      { target: { channel: 'test', accountId: 'bot1', chatId: 'owner' }, text: 'Second day.' },
    ]);
    // The second run sees the first in its session's history.
    expect(
      models.requests[1]?.messages.map((m) => [m.role, typeof m.content === 'string' ? m.content : '']),
    ).toEqual([
      ['user', 'Brief me'],
      ['assistant', 'Good morning: 3 meetings today.'],
      ['user', 'Brief me'],
    ]);
    const sessions = await ctx.store.keys('sessions:agent:main:cron:');
    expect(sessions).toEqual(['sessions:agent:main:cron:brief:main']);
    scheduler.stop();
  });
});

describe('reminder tools (agent round trip with a scripted model)', () => {
  it('a chat message that makes the model call reminder_add is answered, and the reminder arrives in that chat later', async () => {
    const { ctx, clock, models, channel, scheduler } = setup();
    await scheduler.start();
    models.enqueue(call('reminder_add', { when: 'in 20m', text: 'drink water' }), {
      text: 'Okay, in 20 minutes.',
    });
    await ctx.pipeline.accept(
      channel.message({ text: 'remind me in 20 minutes to drink water', chat: { id: 'chat-7' } }),
    );
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual(['Okay, in 20 minutes.']);
    expect(models.requests[0]?.tools?.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['reminder_add', 'reminder_list', 'reminder_cancel']),
    );
    const added = JSON.parse(toolResult(models.requests[1]).content);
    expect(added).toMatchObject({
      id: expect.stringMatching(/^rem-[0-9a-f]{8}$/),
      next: '2026-03-28T20:20:00.000Z',
      repeats: false,
      text: 'drink water',
    });
    expect(clock.pending()).toEqual([t('2026-03-28T20:20:00Z')]);

    await runUntil(clock, t('2026-03-28T20:20:00Z'), scheduler.idle);
    expect(channel.sent.slice(1)).toEqual([
      {
        target: { channel: 'test', accountId: 'bot1', chatId: 'chat-7' },
        text: `${REMINDER_PREFIX}drink water`,
      },
    ]);
    expect(models.requests).toHaveLength(2); // the reminder itself costs no model call
    expect((await listRuns(ctx, added.id)).map((r) => r.status)).toEqual(['ok']);
    scheduler.stop();
  });

  it('lists and cancels only the reminders of the conversation that asked; repeating ones use the zone', async () => {
    const { ctx, models, channel } = setup();
    const here = { channel: 'test', accountId: 'bot1', chatId: 'here' };
    const there = { channel: 'test', accountId: 'bot1', chatId: 'there' };
    const turn = (origin: typeof here, ...replies: Parameters<typeof models.enqueue>) => {
      models.enqueue(...replies);
      return ctx.agents.runTurn({
        agentId: 'main',
        sessionKey: `agent:main:test:bot1:${origin.chatId}`,
        message: 'x',
        origin,
      });
    };
    await turn(here, call('reminder_add', { when: '30 8 * * 1-5', text: 'stand-up' }), { text: 'set' });
    const repeating = JSON.parse(toolResult(models.requests.at(-1)).content);
    // 2026-03-30 is the Monday after the DST change: 08:30 CEST = 06:30Z.
    expect(repeating).toMatchObject({
      repeats: true,
      timezone: 'Europe/Berlin',
      next: '2026-03-30T06:30:00.000Z',
    });
    await turn(there, call('reminder_add', { when: '2026-03-29T10:00', text: 'call mum' }), { text: 'set' });
    const other = JSON.parse(toolResult(models.requests.at(-1)).content);
    expect(other.next).toBe('2026-03-29T08:00:00.000Z');

    await turn(here, call('reminder_list', {}), { text: 'listed' });
    expect(
      JSON.parse(toolResult(models.requests.at(-1)).content).reminders.map((r: { id: string }) => r.id),
    ).toEqual([repeating.id]);
    await turn(here, call('reminder_cancel', { id: other.id }), { text: 'no' });
    expect(toolResult(models.requests.at(-1))).toEqual({
      content: `error: no reminder "${other.id}" in this conversation`,
      isError: true,
    });
    await turn(here, call('reminder_cancel', { id: repeating.id }), { text: 'cancelled' });
    expect(JSON.parse(toolResult(models.requests.at(-1)).content)).toEqual({
      cancelled: repeating.id,
      text: 'stand-up',
    });
    expect((await listJobs(ctx)).map((job) => job.id)).toEqual([other.id]);
    expect(channel.sent).toEqual([]);
  });

  it('bad `when` values and runs without a chat get errors the model can act on', async () => {
    const { ctx, models } = setup();
    const origin = { channel: 'test', accountId: 'bot1', chatId: 'c' };
    const cases: Array<[unknown, RegExp]> = [
      [
        { when: 'tomorrow-ish', text: 'x' },
        /give an ISO-8601 time, "in 20m", "every 2h" or a cron expression/,
      ],
      [{ when: 'in a while', text: 'x' }, /cannot read the delay/],
      [{ when: '2026-03-01T09:00:00Z', text: 'x' }, /is in the past \(it is now 2026-03-28T20:00:00.000Z\)/],
      [{ when: 'every 2s', text: 'x' }, /at least 10s/],
      [{ when: 'in 1h', text: 'x', timezone: 'Moon/Base' }, /unknown time zone "Moon\/Base"/],
      [{ when: 'in 1h' }, /text: /],
    ];
    for (const [args, expected] of cases) {
      models.enqueue(call('reminder_add', args), { text: 'ok' });
      await ctx.agents.runTurn({
        agentId: 'main',
        sessionKey: 'agent:main:test:bot1:c',
        message: 'x',
        origin,
      });
      const result = toolResult(models.requests.at(-1));
      expect(result.isError).toBe(true);
      expect(result.content).toMatch(expected);
    }
    models.enqueue(call('reminder_add', { when: 'in 5m', text: 'x' }), { text: 'ok' });
    await ctx.agents.runTurn({ agentId: 'main', message: 'from the control UI' });
    expect(toolResult(models.requests.at(-1)).content).toMatch(/reminders need a chat/);
    expect(await listJobs(ctx)).toEqual([]);
  });
});
