import { describe, expect, it } from 'vitest';
import type { SpoolEntry } from '../../../src/core/pipeline/spool';
import type { Store } from '../../../src/core/storage/store';
import { createMemoryStore, createTestContext } from '../../helpers/context';
import { createGate, createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';

/**
 * A crash is simulated by abandoning a gateway (context, pipeline, runtime) mid-work and
 * starting a new one on the same store, as a restarted process would on the same state dir.
 */
const agents = { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] };

function gateway(store: Store, router = createScriptedRouter(), textLimit = 2000) {
  const ctx = createTestContext({ config: { agents }, models: router, store });
  const channel = createTestChannel({ textLimit });
  ctx.channels.register(channel);
  return { ctx, channel, router };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('crash and replay', () => {
  it('a crash during the agent run: after restart the message is answered exactly once', async () => {
    const store = createMemoryStore();
    const first = gateway(store, createScriptedRouter({ replies: [{ hang: true }] }));
    const message = first.channel.message({ text: 'are you there?' });
    await first.ctx.pipeline.accept(message);
    await until(() => first.router.requests.length === 1);
    // The process dies here: nothing was sent.

    const second = gateway(store);
    expect(await second.ctx.pipeline.replay()).toBe(1);
    expect(await second.ctx.pipeline.replay()).toBe(1); // a second replay call joins the run in flight
    await second.ctx.settle();
    expect(second.channel.sent.map((s) => s.text)).toEqual(['echo: are you there?']);
    expect(first.channel.sent).toEqual([]);
    expect(await store.keys('spool:')).toEqual([]);
    // The platform redelivers after the restart: still one answer.
    expect((await second.ctx.pipeline.accept({ ...message })).duplicate).toBe(true);
    expect(await second.ctx.pipeline.replay()).toBe(0);
  });

  it('a crash after the answer was recorded but before sending: the recorded answer is sent, the model is not asked again', async () => {
    const store = createMemoryStore();
    const router = createScriptedRouter({ replies: [{ text: 'the one answer' }] });
    const first = createTestContext({ config: { agents }, models: router, store });
    const channel = createTestChannel();
    const { spoolKey } = await first.pipeline.accept(channel.message({ text: 'q' }));
    await first.settle(); // no channel registered: the entry stays pending
    await first.agents.runTurn({ sessionKey: 'agent:main:test:bot1:u1', message: 'q', turnId: spoolKey });

    const secondRouter = createScriptedRouter();
    const second = gateway(store, secondRouter);
    await second.ctx.pipeline.replay();
    await second.ctx.settle();
    expect(second.channel.sent.map((s) => s.text)).toEqual(['the one answer']);
    expect(secondRouter.requests).toHaveLength(0);
    expect((await second.ctx.agents.sessions.get('agent:main:test:bot1:u1'))!.turns).toBe(1);
  });

  it('a crash between chunks: only the chunks not yet sent go out after restart', async () => {
    const store = createMemoryStore();
    const text = ['Part one.', 'Part two.', 'Part three.'].map((p) => `${p} ${'z'.repeat(60)}`).join('\n\n');
    const first = gateway(store, createScriptedRouter({ replies: [{ text }] }), 80);
    let sends = 0;
    const realSend = first.channel.send.bind(first.channel);
    first.channel.send = async (target, chunk, sendKey) => {
      if (++sends === 2) return new Promise<void>(() => {}); // dies while sending the second chunk
      return realSend(target, chunk, sendKey);
    };
    const message = first.channel.message();
    const { spoolKey } = await first.ctx.pipeline.accept(message);
    await until(() => sends === 2);
    expect((await store.get<SpoolEntry>(spoolKey))!).toMatchObject({ state: 'replying', reply: { sent: 1 } });

    const secondRouter = createScriptedRouter();
    const second = gateway(store, secondRouter, 80);
    await second.ctx.pipeline.replay();
    await second.ctx.settle();
    expect(first.channel.sent.map((s) => s.text.slice(0, 9))).toEqual(['Part one.']);
    expect(second.channel.sent.map((s) => s.text.slice(0, 10))).toEqual(['Part two. ', 'Part three']);
    expect(secondRouter.requests).toHaveLength(0);
    // Each chunk keeps its send key across the restart (Discord dedupes a resend by it), and the
    // restart says that the chunk in flight at the crash may arrive twice.
    expect([...first.channel.sent, ...second.channel.sent].map((s) => s.sendKey)).toEqual(
      [0, 1, 2].map((index) => `${spoolKey}#${index}`),
    );
    expect(second.ctx.lines.filter((l) => l.level === 'warn').map((l) => l.line)).toEqual([
      `[pipeline] resending the reply to test message ${message.messageId} in chat ${message.chat.id} from chunk 2/3: the gateway stopped while sending it, so that chunk may arrive twice`,
    ]);
  });

  it('repeated crashes: each restart resumes where the last one stopped', async () => {
    const store = createMemoryStore();
    const a = gateway(store, createScriptedRouter({ replies: [{ hang: true }, { hang: true }] }));
    await a.ctx.pipeline.accept(a.channel.message({ messageId: 'r1', text: 'one' }));
    await a.ctx.pipeline.accept(
      a.channel.message({ messageId: 'r2', chat: { id: 'u2' }, sender: { id: 'u2' }, text: 'two' }),
    );
    await until(() => a.router.requests.length === 2);
    const b = gateway(store, createScriptedRouter({ replies: [{ hang: true }, { hang: true }] }));
    await b.ctx.pipeline.replay();
    await until(() => b.router.requests.length === 2);
    const c = gateway(store);
    expect(await c.ctx.pipeline.replay()).toBe(2);
    await c.ctx.settle();
    expect(c.channel.sent.map((s) => s.text).sort()).toEqual(['echo: one', 'echo: two']);
    expect([...a.channel.sent, ...b.channel.sent]).toEqual([]);
  });

  it('replay at start and a fresh accept of the same entry do not double-answer', async () => {
    const store = createMemoryStore();
    const model = createGate();
    const { ctx, channel, router } = gateway(
      store,
      createScriptedRouter({ replies: [{ text: 'once', after: model.promise }] }),
    );
    await ctx.pipeline.accept(channel.message({ text: 'x' }));
    // The replay comes while the first answer is still being worked on.
    await until(() => router.requests.length === 1);
    await ctx.pipeline.replay();
    model.open();
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual(['once']);
    expect(router.requests).toHaveLength(1);
  });

  it('a crash between the spool write and the dedupe record: replay answers, a redelivery is still a duplicate', async () => {
    const store = createMemoryStore();
    const first = gateway(store);
    const message = first.channel.message({ messageId: 'half', text: 'half-accepted' });
    const { spoolKey } = await first.ctx.pipeline.accept(message);
    await first.ctx.settle();
    // Rewind to the moment after the spool write: the answer never went out and no dedupe record exists.
    const dedupeKeys = await store.keys('dedupe:');
    for (const key of dedupeKeys) await store.remove(key);
    await store.set(spoolKey, {
      v: 1,
      message,
      acceptedAt: Date.now(),
      state: 'pending',
      dedupeKey: dedupeKeys[0],
      attempts: 0,
    });

    const second = gateway(store);
    await second.ctx.pipeline.replay();
    await second.ctx.settle();
    expect(second.channel.sent.map((s) => s.text)).toEqual(['echo: half-accepted']);
    expect(await store.keys('dedupe:')).toEqual(dedupeKeys);
    expect((await second.ctx.pipeline.accept({ ...message })).duplicate).toBe(true);
  });
});
