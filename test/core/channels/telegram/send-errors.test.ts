import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../../src/core/channels/telegram/adapter';
import type { InboundMessage } from '../../../../src/core/channels/types';
import { SEND_RETRY_MS } from '../../../../src/core/pipeline/pipeline';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createScriptedRouter } from '../../../helpers/scripted-router';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
  fake.behaviour.refuseChats = {
    '403': { code: 403, description: 'Forbidden: bot was blocked by the user' },
    '400': { code: 400, description: 'Bad Request: chat not found' },
  };
});
afterAll(() => fake.close());

function setup() {
  const clock = createManualClock();
  const ctx = createTestContext({
    clock,
    env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.origin },
    config: {
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      channels: { telegram: { enabled: true, dmPolicy: 'open' } },
    },
    models: createScriptedRouter({ respond: () => ({ text: 'hello back' }) }),
  });
  ctx.channels.register(createTelegramAdapter(ctx));
  return { ctx, clock };
}

const dm = (chatId: string, messageId: string): InboundMessage => ({
  channel: 'telegram',
  accountId: 'default',
  messageId,
  chat: { id: chatId, kind: 'dm' },
  sender: { id: chatId },
  text: 'hi',
  mentioned: false,
  receivedAt: 0,
});

describe('Telegram send errors: permanent ones are not retried', () => {
  it.each([
    [
      '403 bot was blocked by the user',
      '403',
      /Telegram answered 403: Forbidden: bot was blocked by the user/,
    ],
    ['400 chat not found', '400', /Telegram answered 400: Bad Request: chat not found/],
  ])('%s: one send, one log line, no retry timer', async (_name, chatId, said) => {
    const { ctx, clock } = setup();
    const sendsTo = () =>
      fake.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === chatId).length;
    const before = sendsTo();
    const { spoolKey } = await ctx.pipeline.accept(dm(chatId, `m-${chatId}`));
    await ctx.settle();
    expect(sendsTo() - before).toBe(1);
    const about = ctx.lines.filter((l) => l.line.includes(`telegram chat ${chatId}`));
    expect(about.map((l) => `${l.level} ${l.line}`)).toEqual([
      expect.stringMatching(
        new RegExp(`^error \\[pipeline\\] cannot send the reply to telegram chat ${chatId}: telegram: `),
      ),
    ]);
    expect(about[0]!.line).toMatch(said);
    expect(await ctx.store.has(spoolKey)).toBe(false);
    expect(ctx.pipeline.stats()).toMatchObject({ failed: 1, replied: 0 });
    // Nothing else happens: past every retry delay, no second send and no new log line.
    clock.advance(SEND_RETRY_MS.reduce((a, b) => a + b, 0) + 60_000);
    await ctx.settle();
    expect(sendsTo() - before).toBe(1);
    expect(ctx.lines.filter((l) => l.line.includes(`telegram chat ${chatId}`))).toHaveLength(1);
  });

  it('a dropped connection is retried after the first delay', async () => {
    const { ctx, clock } = setup();
    fake.behaviour.dropNext = { sendMessage: 1 };
    const sends = () => fake.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === '77').length;
    const before = sends();
    await ctx.pipeline.accept(dm('77', 'm-77'));
    await ctx.settle();
    expect(ctx.lines.map((l) => l.line)).toContainEqual(
      expect.stringMatching(/^\[pipeline\] sending the reply to telegram chat 77 failed .*retrying in 1 s$/),
    );
    clock.advance(SEND_RETRY_MS[0]!);
    await ctx.settle();
    expect(sends() - before).toBeGreaterThanOrEqual(1);
    expect(ctx.pipeline.stats()).toMatchObject({ replied: 1, failed: 0 });
  });
});
