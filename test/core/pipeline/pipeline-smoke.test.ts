import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';

const config = { agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] } };

describe('pipeline: accept → agent → reply', () => {
  it('answers a DM once and records the session', async () => {
    const models = createScriptedRouter();
    const ctx = createTestContext({ config, models });
    const channel = createTestChannel();
    ctx.channels.register(channel);
    const result = await ctx.pipeline.accept(channel.message({ text: 'hi there' }));
    expect(result.duplicate).toBe(false);
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual(['echo: hi there']);
    const sessions = await ctx.agents.sessions.list();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.sessionKey).toBe('agent:main:test:bot1:u1');
    expect(sessions[0]!.turns).toBe(1);
  });
});
