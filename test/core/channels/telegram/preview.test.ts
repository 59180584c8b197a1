import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTelegramAdapter } from '../../../../src/core/channels/telegram/adapter';
import type { InboundMessage } from '../../../../src/core/channels/types';
import { dedupeKeyOf, type SpoolEntry, spoolKeyOf } from '../../../../src/core/pipeline/spool';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createGatedRouter } from '../../../helpers/gated-router';

/**
 * Reply previews on Telegram, through the real pipeline, the real adapter and grammY against the
 * fake Bot API, on a manual clock: the fake stamps each call with that clock's time.
 */
let clock = createManualClock();
let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ now: () => clock.now() });
});
afterAll(() => fake.close());

const OWNER = 7001;

function setup(telegram: Record<string, unknown> = {}) {
  clock = createManualClock();
  const models = createGatedRouter();
  const ctx = createTestContext({
    clock,
    models,
    env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.origin },
    config: {
      owners: [OWNER, OWNER + 1, OWNER + 2].map((id) => `telegram:${id}`),
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      channels: {
        telegram: {
          enabled: true,
          dmPolicy: 'open',
          groupPolicy: 'open',
          requireMention: false,
          ...telegram,
        },
      },
    },
  });
  ctx.channels.register(createTelegramAdapter(ctx));
  return { ctx, models };
}

let messageIds = 100;
const message = (chatId: number, kind: 'dm' | 'group' = 'dm', sender = chatId): InboundMessage => ({
  channel: 'telegram',
  accountId: 'default',
  messageId: String(++messageIds),
  chat: { id: String(chatId), kind },
  sender: { id: String(sender) },
  text: 'tell me',
  mentioned: true,
  receivedAt: 0,
});

const callsTo = (method: string, chatId: number) =>
  fake.callsOf(method).filter((c) => String(c.params.chat_id) === String(chatId));

describe('telegram reply previews', () => {
  it("owner's DM: one message grows (plain text, at most one edit a second), then the final formatted; nothing after", async () => {
    const { ctx, models } = setup();
    const question = message(OWNER);
    const { spoolKey } = await ctx.pipeline.accept(question);
    await models.push('**Bold** start, ');
    const first = await fake.waitForCall('sendMessage', (c) => c.params.chat_id === String(OWNER));
    expect(first.params).toMatchObject({
      text: '**Bold** start,',
      reply_parameters: { message_id: messageIds },
    });
    expect(first.params.parse_mode).toBeUndefined();
    // Half-written Markdown while it streams: an open code span and an open fence.
    for (const piece of [
      'then `code ',
      'and more ',
      'words\n\n```ts\n',
      'const x = 1;\n',
      '```\n',
      'done.',
    ]) {
      clock.advance(400);
      await models.push(piece);
    }
    const sent = await fake.waitForCall(
      'editMessageText',
      (c) => String(c.params.text).endsWith('done.'),
      5000,
    );
    expect(sent.at - first.at).toBeGreaterThanOrEqual(1000);
    models.end();
    const final = await fake.waitForCall('editMessageText', (c) => c.params.parse_mode === 'HTML');
    await ctx.settle();

    const edits = callsTo('editMessageText', OWNER);
    const previews = edits.filter((c) => c.params.parse_mode === undefined);
    expect(previews.length).toBeGreaterThanOrEqual(1);
    for (const [i, edit] of previews.entries())
      expect(edit.at - (i === 0 ? first.at : previews[i - 1]!.at)).toBeGreaterThanOrEqual(1000);
    expect(edits.at(-1)).toBe(final);
    const messageId = final.params.message_id!;
    const shown = fake.message(OWNER, messageId);
    expect(shown?.parse_mode).toBe('HTML');
    expect(shown?.text).toContain('<b>Bold</b> start,');
    expect(shown?.text).toContain('<pre><code class="language-ts">const x = 1;</code></pre>');
    // One message, edited: no second sendMessage, the spool entry gone, no refusal logged.
    expect(callsTo('sendMessage', OWNER)).toHaveLength(1);
    expect(await ctx.store.has(spoolKey)).toBe(false);
    expect(ctx.lines.map((l) => l.line).join('\n')).not.toMatch(/preview .*stopped|cannot edit/);
    // Nothing else happens: no timer is left, however far the clock goes.
    expect(clock.pendingTimers()).toBe(0);
    const calls = fake.calls.length;
    clock.advance(60_000);
    await ctx.settle();
    expect(fake.calls.length).toBe(calls);
  });

  it("a 429 defers preview edits by Telegram's retry_after; the answer still arrives", async () => {
    const { ctx, models } = setup();
    await ctx.pipeline.accept(message(OWNER + 1));
    await models.push('one');
    await fake.waitForCall('sendMessage', (c) => c.params.chat_id === String(OWNER + 1));
    fake.behaviour.tooManyRequests.editMessageText = [3];
    clock.advance(1000);
    await models.push(' two');
    const refused = await fake.waitForCall('editMessageText', (c) => c.params.text === 'one two');
    // The clock moves on only once the preview has read the 429.
    await vi.waitFor(() =>
      expect(ctx.lines.map((l) => l.line)).toContainEqual(
        expect.stringMatching(/wait 3000 ms \(rate limit\)/),
      ),
    );
    for (const piece of [' three', ' four', ' five']) {
      clock.advance(1000);
      await models.push(piece);
    }
    const next = await fake.waitForCall('editMessageText', (c) => c.params.text === 'one two three four');
    // The edit refused at T waited out retry_after = 3 s (then showed what had streamed by then): nothing in between.
    expect(next.at - refused.at).toBeGreaterThanOrEqual(3000);
    expect(callsTo('editMessageText', OWNER + 1)).toHaveLength(2);
    models.end();
    await fake.waitForCall(
      'editMessageText',
      (c) => c.params.chat_id === String(OWNER + 1) && c.params.parse_mode === 'HTML',
    );
    await ctx.settle();
    expect(ctx.pipeline.stats()).toMatchObject({ replied: 1, failed: 0 });
  });

  it('a long reply: the preview is the first chunk, the rest go out as new messages at the end', async () => {
    const { ctx, models } = setup();
    const chat = OWNER + 2;
    await ctx.pipeline.accept(message(chat));
    const paragraph = `${'word '.repeat(700).trim()}\n\n`;
    await models.push(paragraph);
    await fake.waitForCall('sendMessage', (c) => c.params.chat_id === String(chat));
    clock.advance(1000);
    await models.push(paragraph);
    await models.push('the end');
    models.end();
    await ctx.settle();
    const sends = callsTo('sendMessage', chat);
    expect(sends).toHaveLength(2);
    expect(sends[1]!.params).toMatchObject({
      text: `${'word '.repeat(700).trim()}\n\nthe end`,
      parse_mode: 'HTML',
    });
    expect(sends[1]!.params.reply_parameters).toBeUndefined();
    for (const edit of callsTo('editMessageText', chat))
      expect(String(edit.params.text).length).toBeLessThanOrEqual(4096);
    expect(fake.message(chat, callsTo('editMessageText', chat).at(-1)!.params.message_id!)).toEqual({
      text: 'word '.repeat(700).trim(),
      parse_mode: 'HTML',
    });
  });

  it('off by default in groups and for DMs of others; "edit" set on the channel previews a group too', async () => {
    const { ctx, models } = setup();
    await ctx.pipeline.accept(message(-500, 'group', OWNER));
    await models.push('group answer');
    models.end();
    await ctx.pipeline.accept(message(OWNER + 10));
    await models.push('guest answer');
    models.end();
    await ctx.settle();
    expect(callsTo('sendMessage', -500).map((c) => c.params.parse_mode)).toEqual(['HTML']);
    expect(callsTo('sendMessage', OWNER + 10).map((c) => c.params.parse_mode)).toEqual(['HTML']);
    expect(callsTo('editMessageText', -500)).toEqual([]);

    const on = setup({ preview: 'edit' });
    await on.ctx.pipeline.accept(message(-501, 'group', 42));
    await on.models.push('shown growing');
    on.models.end();
    await on.ctx.settle();
    expect(callsTo('sendMessage', -501).map((c) => c.params.parse_mode)).toEqual([undefined]);
    expect(callsTo('editMessageText', -501).map((c) => c.params.parse_mode)).toEqual(['HTML']);
  });

  it('a replayed turn (the gateway stopped mid-preview) streams into the recorded preview: no second message', async () => {
    const { ctx, models } = setup();
    const chat = OWNER + 2;
    const question = message(chat);
    const adapter = ctx.channels.get('telegram')!;
    // What the stopped gateway left: a partial preview, and its id in the pending spool entry.
    const partial = await adapter.preview!.start(
      { channel: 'telegram', accountId: 'default', chatId: String(chat) },
      'half an',
    );
    const sendsBefore = callsTo('sendMessage', chat).length;
    await ctx.store.set(spoolKeyOf(question), {
      v: 1,
      message: question,
      acceptedAt: clock.now(),
      state: 'pending',
      dedupeKey: dedupeKeyOf(question, clock.now()),
      attempts: 0,
      previewMessageId: partial,
    } satisfies SpoolEntry);
    expect(await ctx.pipeline.replay()).toBe(1);
    await models.push('a whole');
    await fake.waitForCall(
      'editMessageText',
      (c) => c.params.text === 'a whole' && String(c.params.message_id) === partial,
    );
    await models.push(' answer');
    models.end();
    await ctx.settle();
    expect(callsTo('sendMessage', chat)).toHaveLength(sendsBefore);
    expect(fake.message(chat, partial)).toEqual({ text: 'a whole answer', parse_mode: 'HTML' });
    expect(ctx.pipeline.stats()).toMatchObject({ replied: 1 });
  });

  it('a preview that cannot be edited any more (deleted): the answer goes out as a new message', async () => {
    const { ctx } = setup();
    const question = message(OWNER);
    const spoolKey = spoolKeyOf(question);
    // As a restart finds it: the answer fixed, its preview recorded, but that message is gone.
    const entry: SpoolEntry = {
      v: 1,
      message: question,
      acceptedAt: clock.now(),
      state: 'replying',
      dedupeKey: dedupeKeyOf(question, clock.now()),
      attempts: 0,
      agentId: 'main',
      previewMessageId: '424242',
      reply: { kind: 'answer', chunks: ['the **answer**'], sent: 0 },
    };
    await ctx.store.set(spoolKey, entry);
    expect(await ctx.pipeline.replay()).toBe(1);
    await ctx.settle();
    expect(callsTo('editMessageText', OWNER).at(-1)!.params).toMatchObject({ message_id: 424242 });
    expect(callsTo('sendMessage', OWNER).at(-1)!.params).toMatchObject({
      text: 'the <b>answer</b>',
      parse_mode: 'HTML',
    });
    expect(ctx.lines.map((l) => l.line)).toContainEqual(
      expect.stringMatching(
        /cannot edit the preview in telegram chat 7001 .*message to edit not found.*new message/,
      ),
    );
    expect(await ctx.store.has(spoolKey)).toBe(false);
  });

  it('"off" on the channel turns it off for the owner too', async () => {
    const { ctx, models } = setup({ preview: 'off' });
    await ctx.pipeline.accept(message(OWNER));
    await models.push('plain answer');
    models.end();
    await ctx.settle();
    expect(callsTo('sendMessage', OWNER).at(-1)!.params).toMatchObject({
      text: 'plain answer',
      parse_mode: 'HTML',
    });
  });
});
