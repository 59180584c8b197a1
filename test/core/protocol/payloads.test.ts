import { describe, expect, it, vi } from 'vitest';
import { METHODS } from '../../../src/core/protocol/methods/index';
import { chatEvent } from '../../../src/core/protocol/payloads/chat';
import { cronList, cronRuns } from '../../../src/core/protocol/payloads/cron';
import { gatewayStatus, logsTail } from '../../../src/core/protocol/payloads/gateway';
import { pairingList } from '../../../src/core/protocol/payloads/pairing';
import { agentsList, sessionsHistory, sessionsList } from '../../../src/core/protocol/payloads/sessions';
import type * as z from '../../../src/core/zod';
import { createManualClock, createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';

/**
 * The payload schemas are the protocol's source of truth (the Control UI imports their types):
 * what the methods really answer must read back through them unchanged. An object schema drops
 * keys it does not declare, so a field the schema lacks shows as a difference, as does a wrong type.
 */
function expectShaped(schema: z.ZodType, payload: unknown): void {
  const read = schema.safeParse(payload);
  expect(read.error?.issues ?? []).toEqual([]);
  expect(read.data).toEqual(payload);
}

const agents = {
  defaults: { model: { primary: 'test/model', fallbacks: ['test/other'] } },
  list: [
    { id: 'main', default: true },
    { id: 'helper', name: 'Helper' },
  ],
};

function setup() {
  const models = createScriptedRouter({
    replies: [
      { text: '', toolCalls: [{ name: 'current_time', arguments: '{}' }] },
      { text: 'noon', usage: { inputTokens: 12, outputTokens: 3, cacheReadTokens: 4 } },
    ],
  });
  const ctx = createTestContext({ config: { agents }, models, clock: createManualClock() });
  const channel = createTestChannel({ policy: { dmPolicy: 'pairing' } });
  ctx.channels.register(channel);
  const events: Array<{ event: string; payload: unknown }> = [];
  const call = async (method: string, params?: unknown) =>
    METHODS[method]!.handle(METHODS[method]!.params.parse(params), {
      ctx,
      connectionId: 'c',
      emit: (event, payload) => events.push({ event, payload }),
      signal: new AbortController().signal,
    });
  return { ctx, channel, call, events };
}

describe('protocol payloads read back through their schemas', () => {
  it('chat events, sessions (tool calls, compactions), agents', async () => {
    const { ctx, call, events } = setup();
    const sent = (await call('chat.send', { message: 'what time is it?' })) as { sessionKey: string };
    // The first turn imports the turn code: slow on a busy machine, hence 5 s.
    await vi.waitFor(
      () => expect(events.map((e) => (e.payload as { state: string }).state)).toContain('final'),
      { timeout: 5_000 },
    );
    expect(events.map((e) => (e.payload as { state: string }).state)).toEqual(
      expect.arrayContaining(['tool', 'delta', 'final']),
    );
    for (const { payload } of events) expectShaped(chatEvent, payload);

    await ctx.agents.sessions.update(sent.sessionKey, (session) => ({
      ...session,
      compactions: [{ at: 1, turns: 3, summary: 'earlier talk', model: 'test/model', focus: 'times' }],
    }));
    const list = (await call('sessions.list', {})) as z.infer<typeof sessionsList>;
    expect(list.sessions).toHaveLength(1);
    expectShaped(sessionsList, list);
    const history = (await call('sessions.history', { sessionKey: sent.sessionKey })) as z.infer<
      typeof sessionsHistory
    >;
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(history.compactions).toHaveLength(1);
    expectShaped(sessionsHistory, history);
    expectShaped(agentsList, await call('agents.list'));
  });

  it('cron jobs and runs', async () => {
    const { call } = setup();
    await call('cron.add', { id: 'daily', schedule: '0 9 * * *', message: 'what time is it?' });
    await call('cron.add', { id: 'once', schedule: { at: '2030-01-01T09:00:00Z' }, message: 'x', tz: 'UTC' });
    await call('cron.run', { id: 'daily' });
    const list = (await call('cron.list')) as z.infer<typeof cronList>;
    expect(list.jobs.map((job) => [job.id, job.lastRun?.status])).toEqual([
      ['daily', 'ok'],
      ['once', undefined],
    ]);
    expectShaped(cronList, list);
    expectShaped(cronRuns, await call('cron.runs', { id: 'daily' }));
  });

  it('status facts and the log tail', async () => {
    const { ctx, call } = setup();
    ctx.log.scope('test').warn('something to read');
    const status = (await call('status')) as z.infer<typeof gatewayStatus>;
    expect(status).toMatchObject({ runtime: 'node', phase: 'ready', uptimeMs: 0 });
    // Only the facts: the sections (channels, models, ...) are their owners' records.
    expect(gatewayStatus.parse(status)).toEqual(status);
    const tail = (await call('logs.tail', { limit: 5 })) as z.infer<typeof logsTail>;
    expect(tail.records.at(-1)).toMatchObject({ level: 'warn', line: '[test] something to read' });
    expectShaped(logsTail, tail);
  });

  it('pairing requests with where to answer them', async () => {
    const { ctx, channel, call } = setup();
    await ctx.pipeline.accept(channel.message({ sender: { id: '555', name: 'Bob' }, chat: { id: '555' } }));
    await ctx.settle();
    const list = (await call('pairing.list', {})) as z.infer<typeof pairingList>;
    expect(list.pending).toEqual([expect.objectContaining({ senderId: '555', target: expect.any(Object) })]);
    expectShaped(pairingList, list);
  });
});
