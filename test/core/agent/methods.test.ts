import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../helpers/context';
import { connectOwner } from '../../helpers/control-connection';
import { createScriptedRouter } from '../../helpers/scripted-router';

const config = {
  agents: {
    defaults: { model: 'test/model' },
    list: [
      { id: 'main', default: true },
      { id: 'helper', name: 'Helper' },
    ],
  },
};

async function connected(router = createScriptedRouter()) {
  const ctx = createTestContext({ config, models: router });
  return { ctx, router, ...(await connectOwner(ctx)) };
}

describe('chat.* methods', () => {
  it('chat.send returns runId and sessionKey, then streams delta and final chat events', async () => {
    const { call, frames, waitFor } = await connected();
    const res = await call('chat.send', { message: 'hello there' });
    expect(res.payload).toMatchObject({
      sessionKey: 'agent:main:control:owner:main',
      runId: expect.any(String),
    });
    const final = await waitFor((f) => f.event === 'chat' && f.payload.state === 'final');
    expect(final.payload).toMatchObject({
      runId: res.payload.runId,
      text: 'echo: hello there',
      model: 'test/model',
    });
    const deltas = frames
      .filter((f) => f.event === 'chat' && f.payload.state === 'delta')
      .map((f) => f.payload.text);
    expect(deltas.join('')).toBe('echo: hello there');
    expect(frames.indexOf(final)).toBeGreaterThan(frames.findIndex((f) => f.payload?.state === 'delta'));
  });

  it('streams tool events and reports errors as a chat error event', async () => {
    const router = createScriptedRouter({
      replies: [{ text: '', toolCalls: [{ name: 'current_time', arguments: '{}' }] }, { text: 'noon' }],
    });
    const { call, waitFor } = await connected(router);
    await call('chat.send', { agentId: 'helper', message: 'time?' });
    const tool = await waitFor((f) => f.event === 'chat' && f.payload.state === 'tool');
    expect(tool.payload).toMatchObject({
      name: 'current_time',
      sessionKey: 'agent:helper:control:owner:main',
      result: { iso: expect.any(String) },
    });
    await waitFor((f) => f.event === 'chat' && f.payload.state === 'final');

    const bad = await call('chat.send', { agentId: 'nobody', message: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call('chat.send', { message: '' })).error?.code).toBe('INVALID_PARAMS');
    expect((await call('chat.send', { sessionKey: 'not-a-key', message: 'x' })).error?.code).toBe(
      'INVALID_PARAMS',
    );
  });

  it('chat.abort stops a running turn', async () => {
    const { call, waitFor } = await connected(createScriptedRouter({ replies: [{ hang: true }] }));
    const { payload } = await call('chat.send', { message: 'long' });
    expect((await call('chat.abort', { runId: payload.runId })).payload).toEqual({ aborted: true });
    const ended = await waitFor((f) => f.event === 'chat' && f.payload.state === 'error');
    expect(ended.payload).toMatchObject({ runId: payload.runId, code: 'ABORTED' });
    expect((await call('chat.abort', { runId: 'unknown' })).payload).toEqual({ aborted: false });
  });
});

describe('sessions.* and agents.list', () => {
  it('lists sessions, shows history, resets', async () => {
    const { call, waitFor } = await connected();
    await call('chat.send', { message: 'one' });
    await waitFor((f) => f.event === 'chat' && f.payload.state === 'final');
    const list = await call('sessions.list', {});
    expect(list.payload.sessions).toEqual([
      expect.objectContaining({
        sessionKey: 'agent:main:control:owner:main',
        channel: 'control',
        peer: 'main',
        turns: 1,
        updatedAt: expect.any(Number),
      }),
    ]);
    const history = await call('sessions.history', { sessionKey: 'agent:main:control:owner:main' });
    expect(history.payload.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'echo: one' },
    ]);
    expect(
      (await call('sessions.reset', { sessionKey: 'agent:main:control:owner:main' })).payload.reset,
    ).toBe(true);
    expect(
      (await call('sessions.history', { sessionKey: 'agent:main:control:owner:main' })).payload.messages,
    ).toEqual([]);
    expect((await call('sessions.history', { sessionKey: 'agent:main:x:y:z' })).error?.code).toBe(
      'NOT_FOUND',
    );
    expect((await call('sessions.history', { sessionKey: '../../etc' })).error?.code).toBe('INVALID_PARAMS');
  });

  it('agents.list shows every agent and the default', async () => {
    const { call } = await connected();
    const res = await call('agents.list');
    expect(res.payload.defaultAgent).toBe('main');
    expect(res.payload.agents.map((a: { id: string }) => a.id)).toEqual(['main', 'helper']);
    expect(res.payload.agents[1]).toMatchObject({ name: 'Helper', model: { primary: 'test/model' } });
  });
});
