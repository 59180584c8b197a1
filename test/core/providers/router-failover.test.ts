import { afterEach, describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/core/status';
import { reply } from '../../fakes/fake-llm';
import { createManualClock } from '../../helpers/context';
import { agentLines, closedPort, GPT, type Harness, OPUS, run, SONNET, startHarness } from './router-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('model router failover', () => {
  it('streams the primary: model event first, then text and done with usage', async () => {
    harness = await startHarness();
    const result = await run(harness.ctx, [OPUS, GPT]);
    expect(result.error).toBeUndefined();
    expect(result.events[0]).toEqual({ type: 'model', ref: OPUS });
    expect(result.text).toBe('echo: hi');
    expect(result.events.at(-1)).toMatchObject({
      type: 'done',
      stopReason: 'end',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
    expect(harness.anthropic.requests.map((r) => [r.model, r.apiKey])).toEqual([
      ['claude-opus-4-5', 'sk-ant-primary-key'],
    ]);
    expect(agentLines(harness.ctx)).toEqual([]);
  });

  it.each([
    ['429', reply.rateLimited()],
    ['500', reply.status(500)],
    ['503', reply.status(503)],
    ['529', reply.overloaded()],
    ['529', { kind: 'stream-error', errorType: 'overloaded_error' } as const],
  ])(
    'on %s falls back to the next model at once, logs it and cools the pair down',
    async (label, failure) => {
      harness = await startHarness({ anthropic: { replies: [failure] } });
      const result = await run(harness.ctx, [OPUS, SONNET, GPT]);
      expect(result.error).toBeUndefined();
      expect(result.events[0]).toEqual({ type: 'model', ref: SONNET });
      expect(result.text).toBe('echo: hi');
      expect(harness.anthropic.requests.map((r) => r.model)).toEqual([
        'claude-opus-4-5',
        'claude-sonnet-4-5',
      ]);
      expect(agentLines(harness.ctx)).toEqual([`[agent] ${OPUS} ${label}, falling back to ${SONNET}`]);
      const status = (await buildStatus(harness.ctx)).models as {
        cooldowns: Array<Record<string, unknown>>;
        recentFailovers: unknown[];
      };
      expect(status.cooldowns).toEqual([
        expect.objectContaining({ ref: OPUS, profile: 'ANTHROPIC_API_KEY', reason: label, failures: 1 }),
      ]);
      expect(status.cooldowns[0]?.remainingMs).toBeGreaterThan(25_000);
      expect(status.cooldowns[0]?.remainingMs).toBeLessThanOrEqual(30_000);
      expect(status.recentFailovers).toEqual([
        expect.objectContaining({ from: OPUS, to: SONNET, reason: label }),
      ]);
      // The cooled pair is skipped next time: sonnet answers without a call to opus.
      await run(harness.ctx, [OPUS, SONNET]);
      expect(harness.anthropic.requests.map((r) => r.model)).toEqual([
        'claude-opus-4-5',
        'claude-sonnet-4-5',
        'claude-sonnet-4-5',
      ]);
    },
  );

  it.each([
    [401, undefined],
    [403, reply.status(403)],
  ])(
    'on %i tries the next key of the same provider and cools that key down for all models',
    async (status, scripted) => {
      harness = await startHarness({
        env: { ANTHROPIC_API_KEY: '', ANTHROPIC_API_KEYS: 'sk-ant-bad-key,sk-ant-good-key' },
        anthropic: scripted ? { replies: [scripted] } : { validKeys: ['sk-ant-good-key'] },
      });
      const result = await run(harness.ctx, [OPUS, GPT]);
      expect(result.events[0]).toEqual({ type: 'model', ref: OPUS });
      expect(harness.anthropic.requests.map((r) => [r.model, r.apiKey])).toEqual([
        ['claude-opus-4-5', 'sk-ant-bad-key'],
        ['claude-opus-4-5', 'sk-ant-good-key'],
      ]);
      expect(agentLines(harness.ctx)).toEqual([
        `[agent] ${OPUS} ${status}, falling back to ${OPUS} with key ANTHROPIC_API_KEYS#2`,
      ]);
      const { cooldowns } = harness.ctx.models.status!();
      expect(cooldowns).toEqual([
        expect.objectContaining({
          ref: 'anthropic/*',
          profile: 'ANTHROPIC_API_KEYS#1',
          reason: String(status),
        }),
      ]);
      // Rotation would start at the bad key now, but it is cooling down for every model.
      await run(harness.ctx, [SONNET]);
      expect(harness.anthropic.requests.at(-1)).toMatchObject({
        model: 'claude-sonnet-4-5',
        apiKey: 'sk-ant-good-key',
      });
      expect(harness.anthropic.requests).toHaveLength(3);
    },
  );

  it('on 429 tries the next key first, then the next model', async () => {
    harness = await startHarness({
      env: { ANTHROPIC_API_KEYS: 'sk-ant-one-key,sk-ant-two-key', ANTHROPIC_API_KEY: '' },
      anthropic: { replies: [reply.rateLimited(), reply.rateLimited()] },
    });
    const result = await run(harness.ctx, [OPUS, SONNET]);
    expect(result.events[0]).toEqual({ type: 'model', ref: SONNET });
    expect(harness.anthropic.requests.map((r) => [r.model, r.apiKey])).toEqual([
      ['claude-opus-4-5', 'sk-ant-one-key'],
      ['claude-opus-4-5', 'sk-ant-two-key'],
      ['claude-sonnet-4-5', 'sk-ant-one-key'],
    ]);
    expect(agentLines(harness.ctx)).toEqual([
      `[agent] ${OPUS} 429, falling back to ${OPUS} with key ANTHROPIC_API_KEYS#2`,
      `[agent] ${OPUS} 429, falling back to ${SONNET}`,
    ]);
  });

  it('on a network error (nothing listening) falls back to another provider', async () => {
    harness = await startHarness({ env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${await closedPort()}` } });
    const result = await run(harness.ctx, [OPUS, GPT]);
    expect(result.events[0]).toEqual({ type: 'model', ref: GPT });
    expect(result.text).toBe('echo: hi');
    expect(agentLines(harness.ctx)).toEqual([`[agent] ${OPUS} network error, falling back to ${GPT}`]);
    expect(harness.anthropic.requests).toHaveLength(0);
  });

  it('on a timeout (agents.defaults.timeoutSeconds, manual clock) aborts the hung request and falls back', async () => {
    const clock = createManualClock();
    harness = await startHarness({
      clock,
      anthropic: { replies: [reply.hang()] },
      config: { agents: { defaults: { timeoutSeconds: 5 } } },
    });
    const pending = run(harness.ctx, [OPUS, GPT]);
    await harness.anthropic.waitForRequests(1);
    // The fallback follows the timeout, a timer on the clock: at 4,999 ms it has not fired (no
    // timer has), so nothing has fallen back; the log line below names the timeout as the reason.
    const armed = clock.pendingTimers();
    expect(armed).toBeGreaterThan(0);
    clock.advance(4_999);
    expect(clock.pendingTimers()).toBe(armed);
    expect(harness.openai.requests).toHaveLength(0);
    clock.advance(1);
    expect(clock.pendingTimers()).toBeLessThan(armed);
    const result = await pending;
    expect(result.events[0]).toEqual({ type: 'model', ref: GPT });
    expect(agentLines(harness.ctx)).toEqual([`[agent] ${OPUS} timeout, falling back to ${GPT}`]);
    expect(harness.ctx.models.status!().cooldowns[0]).toMatchObject({ ref: OPUS, reason: 'timeout' });
  });

  it('does not retry a 400-class request error: a clear PROVIDER_ERROR, no cooldown', async () => {
    harness = await startHarness({
      anthropic: { replies: [reply.status(400, { message: 'messages.0.content: must not be empty' })] },
    });
    const result = await run(harness.ctx, [OPUS, SONNET, GPT]);
    expect(result.events).toEqual([]);
    expect(result.error).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: `${OPUS} rejected the request (400): messages.0.content: must not be empty`,
    });
    expect(harness.anthropic.requests).toHaveLength(1);
    expect(harness.openai.requests).toHaveLength(0);
    expect(harness.ctx.models.status!().cooldowns).toEqual([]);
  });

  it('after the first token a failure is an error, not a failover', async () => {
    harness = await startHarness({ anthropic: { replies: [reply.cut('partial answer')] } });
    const result = await run(harness.ctx, [OPUS, GPT]);
    expect(result.events.slice(0, 2)).toEqual([
      { type: 'model', ref: OPUS },
      { type: 'text', delta: 'partial answer' },
    ]);
    expect(result.events.some((e) => e.type === 'done')).toBe(false);
    expect(result.error).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: `${OPUS} failed mid-answer (network error)`,
    });
    expect(harness.openai.requests).toHaveLength(0);
  });

  it('a stream that stalls after its first token times out as an error, without failover', async () => {
    const clock = createManualClock();
    harness = await startHarness({
      clock,
      anthropic: { replies: [reply.stall('half an answer')] },
      config: { agents: { defaults: { timeoutSeconds: 5 } } },
    });
    const iterator = harness.ctx.models
      .stream({ models: [OPUS, GPT], messages: [{ role: 'user', content: 'hi' }] })
      [Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: 'model', ref: OPUS });
    expect((await iterator.next()).value).toEqual({ type: 'text', delta: 'half an answer' });
    const next = iterator.next();
    clock.advance(4_999);
    clock.advance(1);
    await expect(next).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: `${OPUS} failed mid-answer (timeout)`,
    });
    expect(harness.openai.requests).toHaveLength(0);
  });

  it('malformed JSON before the first token fails over; with no fallback it is a clean error', async () => {
    harness = await startHarness({ anthropic: { replies: [reply.malformed(), reply.malformed()] } });
    const first = await run(harness.ctx, [OPUS, GPT]);
    expect(first.events[0]).toEqual({ type: 'model', ref: GPT });
    expect(agentLines(harness.ctx)).toContain(`[agent] ${OPUS} malformed response, falling back to ${GPT}`);
    const alone = await run(harness.ctx, [SONNET]);
    expect(alone.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: `no model could answer: ${SONNET} malformed response`,
    });
    expect(agentLines(harness.ctx).at(-1)).toBe(`[agent] ${SONNET} malformed response, no fallback left`);
  });
});
