import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/errors';
import { buildStatus } from '../../../src/core/status';
import type { UsageStatus, UsageSummary } from '../../../src/core/usage/types';
import { createManualClock, createTestContext } from '../../helpers/context';
import { connectOwner } from '../../helpers/control-connection';
import { createScriptedRouter } from '../../helpers/scripted-router';

const OPUS = 'anthropic/claude-opus-4-5';
const config = {
  agents: {
    defaults: { model: { primary: OPUS } },
    list: [{ id: 'main', default: true }, { id: 'helper' }],
  },
  models: {
    pricing: { 'anthropic/claude-opus-4-5': { input: 10, output: 20, cacheRead: 1, cacheWrite: 12 } },
  },
};
const GUEST = 'agent:main:telegram:default:42';

/** A gateway context with a scripted router and the manual clock (2026-01-01 00:00 UTC + 12 h). */
async function setup(extra: Record<string, unknown> = {}) {
  const router = createScriptedRouter();
  const clock = createManualClock(Date.UTC(2026, 0, 1, 12));
  const ctx = createTestContext({ config: { ...config, ...extra }, models: router, clock });
  const { call } = await connectOwner(ctx);
  return { ctx, router, clock, call };
}

describe('usage recording through the agent runtime', () => {
  it('records every call of a turn (tool rounds included) per model, agent and channel, with cache tokens', async () => {
    const { ctx, router, call } = await setup();
    router.enqueue(
      {
        text: '',
        toolCalls: [{ name: 'current_time', arguments: '{}' }],
        usage: { inputTokens: 1000, outputTokens: 10, cacheReadTokens: 600, cacheWriteTokens: 300 },
      },
      { text: 'noon', usage: { inputTokens: 1100, outputTokens: 5, cacheReadTokens: 900 } },
      { text: 'hi guest', model: 'openrouter/odd/model', usage: { inputTokens: 40, outputTokens: 4 } },
    );
    const owner = await ctx.agents.runTurn({ message: 'time?', trust: 'owner' });
    expect(owner.usage).toEqual({
      inputTokens: 2100,
      outputTokens: 15,
      cacheReadTokens: 1500,
      cacheWriteTokens: 300,
    });
    await ctx.agents.runTurn({ message: 'hello', trust: 'guest', sessionKey: GUEST });

    const res = await call('usage.summary', {});
    expect(res.ok, JSON.stringify(res.error)).toBe(true);
    const summary = res.payload as UsageSummary;
    expect(summary.days).toHaveLength(1);
    const [day] = summary.days;
    expect(day?.date).toBe('2026-01-01');
    // (2100 - 1500 - 300) x 10 + 1500 x 1 + 300 x 12 + 15 x 20 = 8400 per million.
    expect(day?.models).toEqual([
      {
        model: OPUS,
        requests: 2,
        inputTokens: 2100,
        outputTokens: 15,
        cacheReadTokens: 1500,
        cacheWriteTokens: 300,
        costUsd: expect.closeTo(0.0084, 10),
      },
      expect.objectContaining({ model: 'openrouter/odd/model', requests: 1, inputTokens: 40, costUsd: null }),
    ]);
    expect(day?.channels.map((c) => [c.channel, c.requests])).toEqual([
      ['control', 2],
      ['telegram', 1],
    ]);
    expect(day?.agents).toEqual([expect.objectContaining({ agentId: 'main', requests: 3, costUsd: null })]);
    expect(day?.total).toMatchObject({ requests: 3, inputTokens: 2140, costUsd: null });

    const status = (await buildStatus(ctx)).usage as UsageStatus;
    expect(status).toMatchObject({ date: '2026-01-01', total: { requests: 3, outputTokens: 19 } });
    expect(status.models.map((m) => m.model)).toEqual([OPUS, 'openrouter/odd/model']);
  });

  it('usage.summary takes days (1..90) and refuses other values', async () => {
    const { ctx, clock, call } = await setup();
    await ctx.agents.runTurn({ message: 'one', trust: 'owner' });
    clock.advance(86_400_000);
    await ctx.agents.runTurn({ message: 'two', trust: 'owner' });
    const dates = async (days?: number) =>
      ((await call('usage.summary', days === undefined ? {} : { days })).payload as UsageSummary).days.map(
        (d) => d.date,
      );
    expect(await dates()).toEqual(['2026-01-02', '2026-01-01']);
    expect(await dates(1)).toEqual(['2026-01-02']);
    for (const days of [0, 91, 1.5]) {
      const res = await call('usage.summary', { days });
      expect(res.ok).toBe(false);
      expect(res.error?.code).toBe('INVALID_PARAMS');
    }
    const quiet = ((await call('status')).payload as { usage: UsageStatus }).usage;
    expect(quiet.total.requests).toBe(1);
    clock.advance(86_400_000);
    expect(((await call('status')).payload as { usage: UsageStatus }).usage).toEqual({
      date: '2026-01-03',
      total: {
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      },
      models: [],
    });
  });

  it("/usage shows this session's tokens and cost; today's gateway-wide totals only to the owner", async () => {
    const { ctx, router } = await setup();
    router.enqueue(
      { text: 'a', usage: { inputTokens: 1000, outputTokens: 100 } },
      { text: 'b', usage: { inputTokens: 200_000, outputTokens: 1000 } },
    );
    await ctx.agents.runTurn({ message: 'owner asks', trust: 'owner' });
    await ctx.agents.runTurn({ message: 'guest asks', trust: 'guest', sessionKey: GUEST });

    const owner = await ctx.agents.runTurn({ message: '/usage', trust: 'owner' });
    expect(owner.command).toBe('usage');
    expect(owner.text).toBe(
      [
        'This session: 1 call(s), 1,000 in / 100 out, ~$0.0120',
        `  ${OPUS}: 1 call(s), 1,000 in / 100 out, ~$0.0120`,
        'Today (2026-01-01 UTC, all sessions): 2 call(s), 201,000 in / 1,100 out, ~$2.03',
        `  ${OPUS}: 2 call(s), 201,000 in / 1,100 out, ~$2.03`,
      ].join('\n'),
    );
    const guest = await ctx.agents.runTurn({ message: '/usage', trust: 'guest', sessionKey: GUEST });
    expect(guest.text).toBe(
      [
        'This session: 1 call(s), 200,000 in / 1,000 out, ~$2.02',
        `  ${OPUS}: 1 call(s), 200,000 in / 1,000 out, ~$2.02`,
      ].join('\n'),
    );
    const fresh = await ctx.agents.runTurn({
      message: '/usage',
      trust: 'guest',
      sessionKey: 'agent:main:telegram:default:43',
    });
    expect(fresh.text).toBe('This session: no model calls yet.');
    // Commands are answered without a model call, and record nothing.
    expect(router.requests).toHaveLength(2);
    expect((await ctx.agents.runTurn({ message: '/help', trust: 'owner' })).text).toContain('/usage - ');
  });

  it('a model without a price shows its cost as unknown, not $0', async () => {
    const { ctx, router } = await setup();
    router.enqueue({ text: 'x', model: 'groq/llama-9', usage: { inputTokens: 5, outputTokens: 1 } });
    await ctx.agents.runTurn({ message: 'hi', trust: 'owner' });
    const text = (await ctx.agents.runTurn({ message: '/usage', trust: 'owner' })).text;
    expect(text).toContain('groq/llama-9: 1 call(s), 5 in / 1 out, cost unknown');
    expect(text).not.toContain('$0');
  });

  it('counts the calls of a compaction too: the memory flush and the summary', async () => {
    const { ctx, router, call } = await setup({
      agents: {
        ...config.agents,
        defaults: { ...config.agents.defaults, compaction: { keepRecentTurns: 1 } },
      },
    });
    for (const message of ['one', 'two', 'three']) await ctx.agents.runTurn({ message, trust: 'owner' });
    const compacted = await ctx.agents.runTurn({ message: '/compact', trust: 'owner' });
    expect(compacted.text).toMatch(/^Compacted: 2 earlier turn/);
    // Three turns, then the silent flush turn and the summary.
    expect(router.requests).toHaveLength(5);
    const summary = (await call('usage.summary', { days: 1 })).payload as UsageSummary;
    expect(summary.total.requests).toBe(5);
    expect(summary.days[0]?.agents).toEqual([expect.objectContaining({ agentId: 'main', requests: 5 })]);
    // The session's own count agrees with the day's: /compact's flush and summary are this session's calls.
    const usage = await ctx.agents.runTurn({ message: '/usage', trust: 'owner' });
    expect(usage.text).toMatch(/^This session: 5 call\(s\), 50 in /);
    const [session] = await ctx.agents.sessions.list();
    expect(session?.usage.inputTokens).toBe(50);
  });

  it("a compaction a turn starts counts in that session's usage, and a failed turn's calls still count", async () => {
    const { ctx, router, call } = await setup({
      agents: {
        ...config.agents,
        defaults: { ...config.agents.defaults, compaction: { keepRecentTurns: 1, thresholdTokens: 500 } },
      },
    });
    const long = (word: string) => word.repeat(400);
    await ctx.agents.runTurn({ message: long('one'), trust: 'owner' });
    await ctx.agents.runTurn({ message: long('two'), trust: 'owner' });
    // The third turn compacts first (flush + summary), then answers: 3 calls in this turn.
    await ctx.agents.runTurn({ message: long('three'), trust: 'owner' });
    expect(router.requests).toHaveLength(5);
    // A turn (another session) whose second round fails: its first round was a call all the same.
    router.enqueue(
      {
        text: '',
        toolCalls: [{ name: 'current_time', arguments: '{}' }],
        usage: { inputTokens: 7, outputTokens: 1 },
      },
      { error: new GatewayError('PROVIDER_ERROR', 'the provider is down') },
    );
    await expect(ctx.agents.runTurn({ message: 'four', trust: 'guest', sessionKey: GUEST })).rejects.toThrow(
      'down',
    );
    const requests = router.requests.length;
    const day = ((await call('usage.summary', { days: 1 })).payload as UsageSummary).total;
    let calls = 0;
    let input = 0;
    for (const session of await ctx.agents.sessions.list()) {
      const record = await ctx.agents.sessions.get(session.sessionKey);
      calls += Object.values(record?.usageByModel ?? {}).reduce((n, counts) => n + counts.requests, 0);
      input += session.usage.inputTokens;
    }
    expect({ calls, input }).toEqual({ calls: day.requests, input: day.inputTokens });
    expect(calls).toBe(requests - 1);
  });
});
