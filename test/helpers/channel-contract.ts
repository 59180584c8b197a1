import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, InboundMessage } from '../../src/core/channels/types';
import { SEND_RETRY_MS } from '../../src/core/pipeline/pipeline';
import { createManualClock, createMemoryStore, createTestContext, type TestContext } from './context';
import { createScriptedRouter } from './scripted-router';

/** What the contract needs from one channel: its real adapter and normalizer, and a fake far end. */
export interface ChannelHarness {
  id: string;
  env: Record<string, string>;
  /** `channels.<id>` for these policies; `group` is the one group/channel the tests write in. */
  section(policy: {
    dmPolicy: string;
    allowFrom?: string[];
    group: string;
    requireMention: boolean;
  }): Record<string, unknown>;
  createAdapter(ctx: TestContext): ChannelAdapter;
  /** A platform DM / group message as the platform sends it, normalized by the channel's own code. */
  dm(text: string, id: string, sender?: string): InboundMessage;
  group(text: string, id: string, mention: boolean): InboundMessage;
  groupId: string;
  /** Texts the fake received for a chat, in order. */
  sent(chatId: string): string[];
  /** The next send to `chatId` fails: for good (`permanent`) or as an outage (`retryable`). */
  refuseNext(chatId: string, kind: 'permanent' | 'retryable'): void;
  /** Typing indicators the fake saw for a chat (for channels that have them). */
  typings?(chatId: string): number;
}

const agents = { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] };

/**
 * The channel contract, written once and run against every channel (`testChannel(harness)`):
 * normalize a platform message, policy and mention gating, chunked send, typing, a permanent vs a
 * retryable send error, replay after a restart; "nothing else happens" is shown with the manual
 * clock, never with sleeps.
 */
export function testChannel(h: ChannelHarness): void {
  function setup(
    policy: { dmPolicy?: string; allowFrom?: string[]; requireMention?: boolean } = {},
    reply = 'ok',
    store = createMemoryStore(),
  ) {
    const clock = createManualClock();
    const ctx = createTestContext({
      clock,
      store,
      env: h.env,
      config: {
        agents,
        channels: {
          [h.id]: h.section({
            dmPolicy: policy.dmPolicy ?? 'open',
            ...(policy.allowFrom ? { allowFrom: policy.allowFrom } : {}),
            group: h.groupId,
            requireMention: policy.requireMention ?? true,
          }),
        },
      },
      models: createScriptedRouter({ respond: () => ({ text: reply }) }),
    });
    return { ctx, clock, adapter: h.createAdapter(ctx) };
  }

  describe(`channel contract: ${h.id}`, () => {
    it('normalizes a platform DM and group message', () => {
      const dm = h.dm('hello there', 'n1');
      expect(dm).toMatchObject({ channel: h.id, chat: { kind: 'dm' }, text: 'hello there' });
      expect(typeof dm.messageId).toBe('string');
      expect(h.group('hi all', 'n2', true)).toMatchObject({
        channel: h.id,
        chat: { id: h.groupId, kind: 'group' },
        mentioned: true,
      });
      expect(h.group('hi all', 'n3', false).mentioned).toBe(false);
    });

    it('answers an allowed DM once; nothing else happens', async () => {
      const { ctx, clock, adapter } = setup();
      ctx.channels.register(adapter);
      const message = h.dm('ping', 'a1');
      await ctx.pipeline.accept(message);
      await ctx.settle();
      expect(h.sent(message.chat.id).slice(-1)).toEqual([expect.stringContaining('ok')]);
      const count = h.sent(message.chat.id).length;
      clock.advance(30 * 60_000);
      await ctx.settle();
      expect(h.sent(message.chat.id)).toHaveLength(count);
      expect(clock.pendingTimers()).toBe(0);
    });

    it('gates by policy and mention: a stranger under allowlist and an unmentioned group message get nothing', async () => {
      const { ctx, clock, adapter } = setup({ dmPolicy: 'allowlist', allowFrom: ['someone-else'] });
      ctx.channels.register(adapter);
      const stranger = h.dm('let me in', 'p1', 'stranger');
      const before = h.sent(stranger.chat.id).length;
      const groupBefore = h.sent(h.groupId).length;
      await ctx.pipeline.accept(stranger);
      await ctx.pipeline.accept(h.group('no mention', 'p2', false));
      await ctx.settle();
      // Nothing later either: no timer left that could still answer them.
      clock.advance(30 * 60_000);
      await ctx.settle();
      expect(clock.pendingTimers()).toBe(0);
      expect(h.sent(stranger.chat.id)).toHaveLength(before);
      expect(h.sent(h.groupId)).toHaveLength(groupBefore);
      await ctx.pipeline.accept(h.group('with mention', 'p3', true));
      await ctx.settle();
      expect(h.sent(h.groupId)).toHaveLength(groupBefore + 1);
    });

    it('splits a long reply at the channel limit, in order', async () => {
      const adapterLimit = setup().adapter.textLimit;
      const long = Array.from(
        { length: Math.ceil((adapterLimit * 2.5) / 10) },
        (_, i) => `w${String(i).padStart(7, '0')}`,
      ).join(' ');
      const { ctx, adapter } = setup({}, long);
      ctx.channels.register(adapter);
      const message = h.dm('long please', 'c1');
      const before = h.sent(message.chat.id).length;
      await ctx.pipeline.accept(message);
      await ctx.settle();
      const chunks = h.sent(message.chat.id).slice(before);
      expect(chunks.length).toBe(3);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(adapter.textLimit);
      expect(chunks.join(' ').match(/w\d{7}/g)).toEqual(long.split(' '));
    });

    it('shows typing where the platform has it', async () => {
      const { ctx, adapter } = setup();
      if (!adapter.typing || !h.typings) return expect(adapter.typing).toBeUndefined();
      const message = h.dm('t', 't1');
      const before = h.typings(message.chat.id);
      await adapter.typing({
        channel: h.id,
        accountId: message.accountId,
        chatId: message.chat.id,
        replyToMessageId: message.messageId,
      });
      expect(h.typings(message.chat.id)).toBeGreaterThan(before);
      await ctx.settle();
    });

    it('a permanent send error is given up at once; a retryable one is retried after the first delay', async () => {
      const { ctx, clock, adapter } = setup();
      ctx.channels.register(adapter);
      const gone = h.dm('x', 'e1', 'gone-user');
      h.refuseNext(gone.chat.id, 'permanent');
      await ctx.pipeline.accept(gone);
      await ctx.settle();
      clock.advance(SEND_RETRY_MS.reduce((a, b) => a + b, 0));
      await ctx.settle();
      expect(h.sent(gone.chat.id)).toEqual([]);
      expect(ctx.pipeline.stats()).toMatchObject({ failed: 1 });
      // Said once (no other warning or error either), and no retry was ever scheduled.
      const said = ctx.lines.filter((l) => l.level === 'warn' || l.level === 'error');
      expect(said.map((l) => l.level)).toEqual(['error']);
      expect(said[0]?.line).toContain(`cannot send the reply to ${h.id} chat ${gone.chat.id}`);
      expect(clock.pendingTimers()).toBe(0);

      const flaky = h.dm('y', 'e2', 'flaky-user');
      h.refuseNext(flaky.chat.id, 'retryable');
      await ctx.pipeline.accept(flaky);
      await ctx.settle();
      expect(h.sent(flaky.chat.id)).toEqual([]);
      clock.advance(SEND_RETRY_MS[0]! - 1);
      await ctx.settle();
      expect(h.sent(flaky.chat.id)).toEqual([]);
      clock.advance(1);
      await ctx.settle();
      expect(h.sent(flaky.chat.id)).toEqual([expect.stringContaining('ok')]);
      // Sent once: nothing is left to send it again.
      clock.advance(SEND_RETRY_MS.reduce((a, b) => a + b, 0));
      await ctx.settle();
      expect(h.sent(flaky.chat.id)).toHaveLength(1);
      expect(clock.pendingTimers()).toBe(0);
    });

    it('replays a message spooled before a restart, once', async () => {
      const store = createMemoryStore();
      const before = setup({}, 'ok', store);
      const message = h.dm('while down', 'r1', 'replay-user');
      // The gateway stops before its channel is up: the message stays in the spool.
      await before.ctx.pipeline.accept(message);
      await before.ctx.settle();
      expect(h.sent(message.chat.id)).toEqual([]);
      const after = setup({}, 'ok', store);
      after.ctx.channels.register(after.adapter);
      expect(await after.ctx.pipeline.replay()).toBe(1);
      await after.ctx.settle();
      expect(h.sent(message.chat.id)).toEqual([expect.stringContaining('ok')]);
      expect(await after.ctx.pipeline.replay()).toBe(0);
    });
  });
}
