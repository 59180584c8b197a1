import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/agent/types';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';

// ctx.agents loads its turn code on first need (src/core/agent/lazy-runtime.ts): what it answers
// before that must be what the loaded runtime would answer.
const config = {
  agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, maxConcurrent: 3 } },
};

describe('the agent runtime before its turn code is loaded', () => {
  it('answers agents, sessions and status without a turn', async () => {
    const ctx = createTestContext({ config, models: createScriptedRouter() });
    expect(ctx.agents.listAgents().map((agent) => agent.id)).toEqual(['main']);
    expect(ctx.agents.resolveSession({})).toEqual({
      agentId: 'main',
      sessionKey: 'agent:main:control:owner:main',
    });
    expect(() => ctx.agents.resolveSession({ agentId: 'nobody' })).toThrow(/nobody/);
    expect(ctx.agents.status()).toEqual({
      running: 0,
      waiting: 0,
      maxConcurrent: 3,
      agents: 1,
      defaultAgent: 'main',
    });
    expect(ctx.agents.abort('unknown')).toBe(false);
    expect(await ctx.agents.sessions.list()).toEqual([]);
  });

  it('aborts a first run by id while the turn code loads', async () => {
    const ctx = createTestContext({ config, models: createScriptedRouter({ replies: [{ hang: true }] }) });
    const events: AgentEvent[] = [];
    const run = ctx.agents.runTurn({ runId: 'r1', message: 'x', onEvent: (e) => events.push(e) });
    expect(ctx.agents.abort('r1')).toBe(true);
    await expect(run).rejects.toMatchObject({ details: { aborted: true } });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'ABORTED' });
    expect(ctx.agents.abort('r1')).toBe(false);
  });

  it('runs turns and explainTools asked together before the turn code is loaded', async () => {
    const models = createScriptedRouter();
    const ctx = createTestContext({ config, models });
    const [a, b, tools] = await Promise.all([
      ctx.agents.runTurn({ sessionKey: 'agent:main:test:a:1', message: 'one' }),
      ctx.agents.runTurn({ sessionKey: 'agent:main:test:a:2', message: 'two' }),
      ctx.agents.explainTools('main', 'guest'),
    ]);
    expect([a.text, b.text]).toEqual(['echo: one', 'echo: two']);
    expect(tools.some((tool) => tool.name === 'exec' && tool.reason !== undefined)).toBe(true);
    expect(models.requests).toHaveLength(2);
  });
});
