import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { telegramApi } from '../../../../src/core/channels/telegram/api';
import { sendTelegramChunk, sendTelegramTyping } from '../../../../src/core/channels/telegram/send';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  fake.behaviour.rejectEntities = false;
});

const target = {
  channel: 'telegram',
  accountId: 'default',
  chatId: '-100777',
  threadId: '301',
  replyToMessageId: '55',
};

describe('sendTelegramChunk (real grammY, fake Bot API)', () => {
  it('sends HTML in the same topic, as a reply to the message', async () => {
    const api = await telegramApi(fake.token, fake.origin);
    await sendTelegramChunk(api, target, 'the **answer** is `42`', true);
    const [call] = fake.callsOf('sendMessage');
    expect(call?.params).toMatchObject({
      chat_id: '-100777',
      text: 'the <b>answer</b> is <code>42</code>',
      parse_mode: 'HTML',
      message_thread_id: 301,
      reply_parameters: { message_id: 55, allow_sending_without_reply: true },
    });
  });

  it('quotes the user only on the first chunk', async () => {
    const api = await telegramApi(fake.token, fake.origin);
    await sendTelegramChunk(api, target, 'second part', false);
    expect(fake.callsOf('sendMessage')[0]?.params.reply_parameters).toBeUndefined();
    expect(fake.callsOf('sendMessage')[0]?.params.message_thread_id).toBe(301);
  });

  it('retries as plain text when Telegram cannot parse the entities', async () => {
    fake.behaviour.rejectEntities = true;
    const api = await telegramApi(fake.token, fake.origin);
    const id = await sendTelegramChunk(api, target, 'some **markdown**', true);
    const sends = fake.callsOf('sendMessage');
    expect(sends).toHaveLength(2);
    expect(sends[0]?.params.parse_mode).toBe('HTML');
    expect(sends[1]?.params.parse_mode).toBeUndefined();
    expect(sends[1]?.params.text).toBe('some **markdown**');
    expect(sends[1]?.params.reply_parameters).toMatchObject({ message_id: 55 });
    expect(id).toBeGreaterThan(0);
  });

  it('does not retry other errors', async () => {
    const api = await telegramApi(fake.token, fake.origin);
    await expect(sendTelegramChunk(api, target, 'x'.repeat(5000), true)).rejects.toThrow(
      /message is too long/,
    );
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('shows typing in the topic', async () => {
    const api = await telegramApi(fake.token, fake.origin);
    await sendTelegramTyping(api, target);
    expect(fake.callsOf('sendChatAction')[0]?.params).toMatchObject({
      chat_id: '-100777',
      action: 'typing',
      message_thread_id: 301,
    });
  });
});
