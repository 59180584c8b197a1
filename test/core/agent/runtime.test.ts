import { describe, expect, it, vi } from 'vitest';
import type { AgentEvent } from '../../../src/core/agent/types';
import { isGatewayError } from '../../../src/core/errors';
import { createManualClock, createTestContext } from '../../helpers/context';
import { createScriptedRouter, unavailable } from '../../helpers/scripted-router';

/** Bounded waits for in-process work (the first turn imports the turn code, slow on a busy machine). */
const WAIT = { timeout: 5_000 };

const config = {
  agents: {
    defaults: {
      model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] },
      maxConcurrent: 4,
    },
    list: [
      { id: 'main', default: true },
      { id: 'coder', model: 'openai/gpt-4o', systemPrompt: 'You write code.' },
      { id: 'mixed', model: { fallbacks: ['google/gemini-2.5-flash'] } },
    ],
  },
};

function setup(
  options: Parameters<typeof createScriptedRouter>[0] = {},
  extra: Partial<Parameters<typeof createTestContext>[0]> = {},
) {
  const models = createScriptedRouter(options);
  const ctx = createTestContext({ config, models, ...extra });
  return { ctx, models };
}

describe('agents and models', () => {
  it('lists agents with their effective models and the default', () => {
    const { ctx } = setup();
    const agents = ctx.agents.listAgents();
    expect(agents.map((a) => [a.id, a.default])).toEqual([
      ['main', true],
      ['coder', false],
      ['mixed', false],
    ]);
    // A string override replaces the primary; the defaults' fallbacks still apply (minus the primary itself).
    expect(agents[1]!.model).toEqual({ primary: 'openai/gpt-4o', fallbacks: [] });
    expect(agents[2]!.model).toEqual({
      primary: 'anthropic/claude-opus-4-5',
      fallbacks: ['google/gemini-2.5-flash'],
    });
    expect(agents[0]!.workspace).toBe('/nonexistent/workspace/main');
  });

  it('asks the router for the agent model chain: own override, else the defaults', async () => {
    const { ctx, models } = setup();
    await ctx.agents.runTurn({ message: 'a' });
    await ctx.agents.runTurn({ agentId: 'coder', message: 'b' });
    await ctx.agents.runTurn({ agentId: 'mixed', message: 'c' });
    expect(models.requests.map((r) => r.models)).toEqual([
      ['anthropic/claude-opus-4-5', 'openai/gpt-4o'],
      ['openai/gpt-4o'],
      ['anthropic/claude-opus-4-5', 'google/gemini-2.5-flash'],
    ]);
  });

  it('uses AGENTS.md and SOUL.md from the workspace as the system prompt', async () => {
    const files: Record<string, string> = {
      '/state/workspace/main/AGENTS.md': 'Be brief.',
      '/state/workspace/main/SOUL.md': 'You like crabs.',
    };
    const { ctx, models } = setup(
      {},
      { stateDir: '/state', readWorkspaceFile: async (dir, name) => files[`${dir}/${name}`] ?? null },
    );
    await ctx.agents.runTurn({ message: 'hi' });
    await ctx.agents.runTurn({ agentId: 'coder', message: 'hi' });
    expect(models.requests[0]!.system).toContain('Be brief.');
    expect(models.requests[0]!.system).toContain('You like crabs.');
    expect(models.requests[1]!.system).toMatch(/^You write code\.\n\n/);
    expect(models.requests[1]!.system).not.toContain('crabs');
  });

  it('re-reads workspace files at most every 5 s', async () => {
    const clock = createManualClock();
    const files: Record<string, string> = { '/s/workspace/main/AGENTS.md': 'Version one.' };
    let reads = 0;
    const { ctx, models } = setup(
      {},
      {
        clock,
        stateDir: '/s',
        readWorkspaceFile: async (dir, name) => {
          reads++;
          return files[`${dir}/${name}`] ?? null;
        },
      },
    );
    await ctx.agents.runTurn({ message: 'a' });
    files['/s/workspace/main/AGENTS.md'] = 'Version two.';
    await ctx.agents.runTurn({ message: 'b' });
    clock.advance(5_000);
    await ctx.agents.runTurn({ message: 'c' });
    expect(models.requests.map((r) => /Version \w+/.exec(r.system ?? '')?.[0])).toEqual(
      ['Version one.', 'Version one.', 'Version two.'].map((v) => v.slice(0, -1)),
    );
    // A guest turn reads AGENTS.md, SOUL.md, IDENTITY.md and TOOLS.md: on the first turn and after 5 s.
    expect(reads).toBe(8);
  });

  it('refuses an unknown agent and a session key of another agent', async () => {
    const { ctx } = setup();
    await expect(ctx.agents.runTurn({ agentId: 'nope', message: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      ctx.agents.runTurn({ agentId: 'coder', sessionKey: 'agent:main:control:owner:main', message: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(ctx.agents.runTurn({ sessionKey: 'main', message: 'x' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });

  it('says clearly when no model is configured', async () => {
    const ctx = createTestContext({ config: {}, models: createScriptedRouter() });
    const error = await ctx.agents.runTurn({ message: 'x' }).catch((e) => e);
    expect(isGatewayError(error, 'UNAVAILABLE')).toBe(true);
    expect(error.message).toMatch(/agents\.defaults\.model\.primary/);
  });
});

describe('turns and sessions', () => {
  it('streams deltas then one final event, and persists the transcript', async () => {
    const { ctx, models } = setup();
    const events: AgentEvent[] = [];
    const result = await ctx.agents.runTurn({ message: 'hello world', onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({
      text: 'echo: hello world',
      sessionKey: 'agent:main:control:owner:main',
      model: 'anthropic/claude-opus-4-5',
    });
    expect(
      events
        .filter((e) => e.type === 'delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('echo: hello world');
    expect(events.at(-1)).toMatchObject({ type: 'final', text: 'echo: hello world' });
    await ctx.agents.runTurn({ message: 'again' });
    expect(models.requests[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const [summary] = await ctx.agents.sessions.list();
    expect(summary).toMatchObject({ turns: 2, channel: 'control', peer: 'main', usage: { inputTokens: 20 } });
  });

  it('serializes turns of one session: the second waits and sees the first', async () => {
    const { ctx, models } = setup({ replies: [{ text: 'first', delayMs: 50 }, { text: 'second' }] });
    const [a, b] = await Promise.all([
      ctx.agents.runTurn({ message: 'one' }),
      ctx.agents.runTurn({ message: 'two' }),
    ]);
    expect([a.text, b.text]).toEqual(['first', 'second']);
    expect(
      models.requests[1]!.messages.map((m) => (m.role === 'user' || m.role === 'assistant' ? m.content : '')),
    ).toEqual(['one', 'first', 'two']);
  });

  it('runs at most maxConcurrent turns at once across sessions', async () => {
    let running = 0;
    let peak = 0;
    // Each model call is held open until the test lets it go.
    const held: Array<() => void> = [];
    const models = createScriptedRouter();
    const inner = models.stream.bind(models);
    models.stream = async function* (request) {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => held.push(resolve));
      try {
        yield* inner(request);
      } finally {
        running--;
      }
    };
    const ctx = createTestContext({
      config: { agents: { ...config.agents, defaults: { ...config.agents.defaults, maxConcurrent: 2 } } },
      models,
    });
    const turns = Array.from({ length: 8 }, (_, i) =>
      ctx.agents.runTurn({ sessionKey: `agent:main:test:a:p${i}`, message: `m${i}` }),
    );
    // Two run, six wait in the limiter: nothing else can start until one of the two ends.
    await vi.waitFor(() => expect(ctx.agents.status()).toMatchObject({ running: 2, waiting: 6 }), WAIT);
    expect(ctx.agents.status()).toMatchObject({ maxConcurrent: 2 });
    expect(held).toHaveLength(2);
    for (let ended = 1; ended <= 8; ended++) {
      held[ended - 1]!();
      // Each end lets exactly one waiting turn in.
      const started = Math.min(ended + 2, 8);
      await vi.waitFor(() => expect(held).toHaveLength(started), WAIT);
      expect(running).toBeLessThanOrEqual(2);
    }
    await Promise.all(turns);
    expect(peak).toBe(2);
  });

  it('answers /new, /reset and /status without a model', async () => {
    const { ctx, models } = setup();
    await ctx.agents.runTurn({ message: 'remember me' });
    const status = await ctx.agents.runTurn({ message: '/status' });
    expect(status.command).toBe('status');
    expect(status.text).toContain('anthropic/claude-opus-4-5');
    expect(status.text).toContain('1 turn');
    const reset = await ctx.agents.runTurn({ message: '/new' });
    expect(reset.text).toMatch(/new session/i);
    await ctx.agents.runTurn({ message: 'fresh' });
    expect(models.requests).toHaveLength(2);
    expect(models.requests[1]!.messages).toHaveLength(1);
    expect((await ctx.agents.runTurn({ message: '/RESET@krab_bot' })).command).toBe('reset');
  });

  it('does not ask the model again for a turn id it already answered', async () => {
    const { ctx, models } = setup();
    const first = await ctx.agents.runTurn({
      sessionKey: 'agent:main:test:a:b',
      message: 'x',
      turnId: 'spool:test:a:1',
    });
    const again = await ctx.agents.runTurn({
      sessionKey: 'agent:main:test:a:b',
      message: 'x',
      turnId: 'spool:test:a:1',
    });
    expect(again.text).toBe(first.text);
    expect(models.requests).toHaveLength(1);
    // A later turn does not make the earlier one forgotten (two messages in flight at a crash).
    await ctx.agents.runTurn({ sessionKey: 'agent:main:test:a:b', message: 'y', turnId: 'spool:test:a:2' });
    const replayed = await ctx.agents.runTurn({
      sessionKey: 'agent:main:test:a:b',
      message: 'x',
      turnId: 'spool:test:a:1',
    });
    expect(replayed.text).toBe('echo: x');
    expect(models.requests).toHaveLength(2);
    expect((await ctx.agents.sessions.get('agent:main:test:a:b'))!.turns).toBe(2);
  });

  it('reports a provider failure as an error event and keeps no half turn', async () => {
    const { ctx } = setup({ replies: [unavailable('anthropic: no API key (set ANTHROPIC_API_KEY)')] });
    const events: AgentEvent[] = [];
    await expect(ctx.agents.runTurn({ message: 'x', onEvent: (e) => events.push(e) })).rejects.toThrow(
      /ANTHROPIC_API_KEY/,
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'UNAVAILABLE' });
    expect(await ctx.agents.sessions.list()).toEqual([]);
  });

  it('aborts a run by id', async () => {
    const { ctx, models } = setup({ replies: [{ hang: true }] });
    const events: AgentEvent[] = [];
    const run = ctx.agents.runTurn({ runId: 'r1', message: 'x', onEvent: (e) => events.push(e) });
    // Aborted while the model works on it.
    await vi.waitFor(() => expect(models.requests).toHaveLength(1), WAIT);
    expect(ctx.agents.abort('r1')).toBe(true);
    await expect(run).rejects.toMatchObject({ details: { aborted: true } });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'ABORTED' });
    expect(ctx.agents.abort('r1')).toBe(false);
  });

  it('refuses a huge message', async () => {
    const { ctx } = setup();
    await expect(ctx.agents.runTurn({ message: 'x'.repeat(200_001) })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('keeps the transcript under the token budget, dropping the oldest turns', async () => {
    const ctx = createTestContext({
      config: { agents: { ...config.agents, defaults: { ...config.agents.defaults, contextTokens: 1000 } } },
      models: createScriptedRouter(),
    });
    for (let i = 0; i < 20; i++) await ctx.agents.runTurn({ message: `${i} ${'word '.repeat(100)}` });
    const record = await ctx.agents.sessions.get('agent:main:control:owner:main');
    expect(record!.turns).toBe(20);
    expect(record!.messages.length).toBeLessThan(40);
    expect(record!.messages[0]!.role).toBe('user');
    expect(JSON.stringify(record!.messages.at(-1))).toContain('19 word');
  });

  it('ephemeral turns (a caller-supplied history) leave no session behind', async () => {
    const { ctx, models } = setup();
    const result = await ctx.agents.runTurn({
      message: 'q',
      history: [
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'ok' },
      ],
      extraSystem: 'Speak French.',
    });
    expect(result.text).toBe('echo: q');
    expect(models.requests[0]!.messages).toHaveLength(3);
    expect(models.requests[0]!.system).toContain('Speak French.');
    expect(await ctx.agents.sessions.list()).toEqual([]);
  });
});
