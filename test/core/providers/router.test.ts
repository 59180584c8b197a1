import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../src/core/errors';
import { METHODS } from '../../../src/core/protocol/methods/index';
import { createModelRouter } from '../../../src/core/providers/router';
import { reply } from '../../fakes/fake-llm';
import { startFakeOpenAI } from '../../fakes/openai-server';
import { createManualClock, createMemoryStore, createTestContext } from '../../helpers/context';
import { agentLines, GPT, type Harness, OPUS, run, SONNET, startHarness } from './router-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const cooldowns = (h: Harness) => h.ctx.models.status!().cooldowns;

describe('model router: keys, cooldowns, errors', () => {
  it('rotates keys round-robin across requests', async () => {
    harness = await startHarness({
      env: { ANTHROPIC_API_KEY: '', ANTHROPIC_API_KEYS: 'sk-ant-k1-xxxx,sk-ant-k2-xxxx,sk-ant-k3-xxxx' },
    });
    for (let i = 0; i < 4; i++) expect((await run(harness.ctx, [OPUS])).error).toBeUndefined();
    expect(harness.anthropic.requests.map((r) => r.apiKey)).toEqual([
      'sk-ant-k1-xxxx',
      'sk-ant-k2-xxxx',
      'sk-ant-k3-xxxx',
      'sk-ant-k1-xxxx',
    ]);
  });

  it('uses the guide config: a profile without a key takes ANTHROPIC_API_KEY, base URL from models.providers', async () => {
    harness = await startHarness();
    const config = {
      auth: { profiles: { 'anthropic:default': { mode: 'token', provider: 'anthropic' } } },
      models: { providers: { anthropic: { baseUrl: harness.anthropic.baseUrl } } },
    };
    const ctx = createTestContext({ config, env: { ANTHROPIC_API_KEY: 'sk-ant-from-env' } });
    const result = await run(ctx, [OPUS]);
    expect(result.text).toBe('echo: hi');
    expect(harness.anthropic.requests[0]?.apiKey).toBe('sk-ant-from-env');
  });

  it('falls back to a key stored with `krabkrab secrets set` when env and config have none', async () => {
    harness = await startHarness({ env: { ANTHROPIC_API_KEY: '' } });
    await harness.ctx.store.set('credentials:secrets:ANTHROPIC_API_KEY', 'sk-ant-stored-key');
    const result = await run(harness.ctx, [OPUS]);
    expect(result.text).toBe('echo: hi');
    expect(harness.anthropic.requests[0]?.apiKey).toBe('sk-ant-stored-key');
  });

  it('remembers cooldowns across a restart (a new router on the same store)', async () => {
    const store = createMemoryStore();
    harness = await startHarness({ store, anthropic: { replies: [reply.rateLimited()] } });
    await run(harness.ctx, [OPUS, SONNET]);
    expect(cooldowns(harness)).toHaveLength(1);
    expect(await store.keys('cooldowns:')).toEqual(['cooldowns:models']);
    expect(JSON.stringify(await store.get('cooldowns:models'))).not.toContain('sk-ant');

    const restarted = createModelRouter({
      config: harness.ctx.config,
      env: harness.env,
      store,
      clock: harness.ctx.clock,
      log: harness.ctx.log,
    });
    const events = [];
    for await (const event of restarted.stream({
      models: [OPUS, SONNET],
      messages: [{ role: 'user', content: 'again' }],
    }))
      events.push(event);
    expect(events[0]).toEqual({ type: 'model', ref: SONNET });
    expect(harness.anthropic.requests.map((r) => r.model)).toEqual([
      'claude-opus-4-5',
      'claude-sonnet-4-5',
      'claude-sonnet-4-5',
    ]);
    expect(restarted.status().cooldowns).toEqual([expect.objectContaining({ ref: OPUS, reason: '429' })]);
  });

  it('honours a longer Retry-After and climbs 30 s -> 1 min -> 5 min, a success resets', async () => {
    const clock = createManualClock();
    harness = await startHarness({ clock, anthropic: { replies: [reply.rateLimited(120)] } });
    await run(harness.ctx, [OPUS, SONNET]);
    expect(cooldowns(harness)[0]).toMatchObject({ ref: OPUS, remainingMs: 120_000 });

    const solo = await startHarness({
      clock,
      anthropic: { replies: [reply.status(500), reply.status(500), reply.status(500)] },
    });
    try {
      const steps: number[] = [];
      for (let i = 0; i < 3; i++) {
        await run(solo.ctx, [OPUS, GPT]);
        const entry = solo.ctx.models.status!().cooldowns.find((c) => c.ref === OPUS)!;
        steps.push(entry.remainingMs);
        clock.advance(entry.remainingMs + 1);
      }
      expect(steps).toEqual([30_000, 60_000, 300_000]);
      expect((await run(solo.ctx, [OPUS])).events[0]).toEqual({ type: 'model', ref: OPUS });
      await solo.anthropic.waitForRequests(4);
      solo.anthropic.enqueue(reply.status(500));
      await run(solo.ctx, [OPUS, GPT]);
      expect(solo.ctx.models.status!().cooldowns.find((c) => c.ref === OPUS)).toMatchObject({
        remainingMs: 30_000,
        failures: 1,
      });
    } finally {
      await solo.close();
    }
  });

  it('when every pair is cooling down, tries the one whose cooldown ends first', async () => {
    harness = await startHarness({ anthropic: { replies: [reply.rateLimited(600), reply.rateLimited()] } });
    await run(harness.ctx, [SONNET, OPUS]);
    expect(cooldowns(harness).map((c) => c.ref)).toEqual([OPUS, SONNET]);
    const result = await run(harness.ctx, [SONNET, OPUS]);
    expect(result.events[0]).toEqual({ type: 'model', ref: OPUS });
    expect(agentLines(harness.ctx).at(-1)).toMatch(
      /^\[agent\] every model is cooling down; trying anthropic\/claude-opus-4-5 \(cooldown ends in \d+ s\)$/,
    );
    expect(cooldowns(harness).map((c) => c.ref)).toEqual([SONNET]);
  });

  it('no key for any configured provider: a clear UNAVAILABLE naming the env vars, logged', async () => {
    const ctx = createTestContext({ env: {} });
    const result = await run(ctx, [OPUS, GPT]);
    expect(result.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'no API key for anthropic, openai: set ANTHROPIC_API_KEY or OPENAI_API_KEY',
    });
    expect(agentLines(ctx)).toEqual([
      '[agent] no API key for anthropic, openai: set ANTHROPIC_API_KEY or OPENAI_API_KEY',
    ]);
  });

  it('a provider without a key is skipped and named when the others fail', async () => {
    harness = await startHarness({
      env: { OPENAI_API_KEY: '' },
      anthropic: { replies: [reply.status(500)] },
    });
    const result = await run(harness.ctx, [OPUS, GPT]);
    expect(result.error).toMatchObject({
      code: 'UNAVAILABLE',
      retryable: true,
      message: `no model could answer: ${OPUS} 500; no API key for openai: set OPENAI_API_KEY`,
    });
    expect(isGatewayError(result.error) && result.error.retryAfterMs).toBeGreaterThan(0);
  });

  it('unknown provider, bad ref and an empty list are clear errors', async () => {
    harness = await startHarness();
    expect((await run(harness.ctx, ['mistrall/large', OPUS])).error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^unknown model provider "mistrall" in "mistrall\/large": use one of .*anthropic, openai, google/,
      ),
    });
    expect((await run(harness.ctx, ['claude'])).error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('expected "provider/model"'),
    });
    expect((await run(harness.ctx, [])).error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('agents.defaults.model.primary'),
    });
    expect(harness.anthropic.requests).toHaveLength(0);
  });

  it('routes google/* through the openai SDK at the Gemini-compatible path', async () => {
    const gemini = await startFakeOpenAI({ pathPrefix: '/v1beta/openai' });
    try {
      const ctx = createTestContext({
        env: { GEMINI_API_KEY: 'gm-key-abcdef', GOOGLE_BASE_URL: gemini.baseUrl },
      });
      const result = await run(ctx, ['google/gemini-2.5-flash']);
      expect(result.events[0]).toEqual({ type: 'model', ref: 'google/gemini-2.5-flash' });
      expect(result.text).toBe('echo: hi');
      expect(gemini.requests[0]).toMatchObject({
        path: '/v1beta/openai/chat/completions',
        apiKey: 'gm-key-abcdef',
        model: 'gemini-2.5-flash',
      });
    } finally {
      await gemini.close();
    }
  });

  it("the caller's abort ends the run with its reason: no failover, no cooldown", async () => {
    harness = await startHarness({ anthropic: { replies: [reply.hang()] } });
    const controller = new AbortController();
    const pending = run(harness.ctx, [OPUS, GPT], { signal: controller.signal });
    await harness.anthropic.waitForRequests(1);
    controller.abort(new Error('user pressed stop'));
    const result = await pending;
    expect(result.error?.message).toBe('user pressed stop');
    expect(harness.openai.requests).toHaveLength(0);
    expect(cooldowns(harness)).toEqual([]);
  });

  it('models.list shows each agent chain, key counts (never keys) and cooldowns', async () => {
    harness = await startHarness({
      env: { GOOGLE_API_KEY: '' },
      config: {
        agents: {
          defaults: { model: { primary: OPUS, fallbacks: [SONNET, 'google/gemini-2.5-flash'] } },
          list: [{ id: 'main', default: true }],
        },
      },
      anthropic: { replies: [reply.rateLimited()] },
    });
    await run(harness.ctx, [OPUS, SONNET]);
    const listed = (await METHODS['models.list']!.handle(undefined, {
      ctx: harness.ctx,
      connectionId: 'c1',
      emit() {},
      signal: new AbortController().signal,
    })) as {
      models: Array<Record<string, unknown>>;
      providers: Array<Record<string, unknown>>;
      cooldowns: unknown[];
    };
    expect(listed.models).toEqual([
      expect.objectContaining({
        ref: OPUS,
        available: true,
        keys: 1,
        cooling: ['ANTHROPIC_API_KEY'],
        usedBy: [{ agentId: 'main', role: 'primary' }],
      }),
      expect.objectContaining({
        ref: SONNET,
        available: true,
        cooling: [],
        usedBy: [{ agentId: 'main', role: 'fallback 1' }],
      }),
      expect.objectContaining({
        ref: 'google/gemini-2.5-flash',
        available: false,
        problem: 'no API key: set GOOGLE_API_KEY',
      }),
    ]);
    expect(listed.providers.find((p) => p.id === 'anthropic')).toEqual({
      id: 'anthropic',
      keys: ['ANTHROPIC_API_KEY'],
      keyEnv: 'ANTHROPIC_API_KEY',
      baseUrl: harness.anthropic.baseUrl,
    });
    expect(listed.cooldowns).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('sk-');
  });
});
