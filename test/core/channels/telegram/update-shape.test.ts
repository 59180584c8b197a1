// Cases the webhook fuzz (test/fuzz/webhook-telegram.test.ts) found: a malformed message in an
// authenticated update threw a TypeError (HTTP 500, redelivered by Telegram forever).
import { describe, expect, it } from 'vitest';
import { assertTelegramMessageShape } from '../../../../src/core/channels/telegram/update-shape';
import { isGatewayError } from '../../../../src/core/errors';
import { createApp } from '../../../../src/handlers/app';
import { updates } from '../../../fakes/telegram-bot-api';
import { createTestContext } from '../../../helpers/context';

const good = () => ({ update_id: 1, ...updates.privateText('hi', { userId: 5, messageId: 9 }) });

/** Each case breaks one field of a good update in place, as a sender outside the Bot API could. */
const broken: Array<[string, (u: { message: Record<string, unknown> }) => void]> = [
  ['chat as a string', (u) => (u.message.chat = JSON.stringify(u.message.chat))],
  ['chat missing', (u) => delete u.message.chat],
  ['message_id not a number', (u) => (u.message.message_id = '9')],
  ['from as an array', (u) => (u.message.from = [u.message.from])],
  ['text as an object', (u) => (u.message.text = { a: 1 })],
  ['entities not an array', (u) => (u.message.entities = 'x')],
  [
    'text_mention without user',
    (u) => (u.message.entities = [{ type: 'text_mention', offset: 0, length: 2 }]),
  ],
  ['photo size with an array height', (u) => (u.message.photo = [{ file_id: 'f', width: 9, height: [9] }])],
  ['document without file_id', (u) => (u.message.document = { file_name: 'a.pdf' })],
  ['message null', (u) => Object.assign(u, { message: null })],
];

describe('Telegram update shape', () => {
  it('accepts real updates (private, group, topic, photo, reply)', () => {
    expect(() => assertTelegramMessageShape(good())).not.toThrow();
    expect(() =>
      assertTelegramMessageShape(
        updates.groupText('@krab_test_bot hi', { threadId: 3, replyToBot: { id: 1, username: 'b' } }),
      ),
    ).not.toThrow();
    expect(() => assertTelegramMessageShape({ update_id: 2 } as never)).not.toThrow();
  });

  it.each(broken)('%s is a BAD_REQUEST naming the field', (_name, breakIt) => {
    const update = good();
    breakIt(update);
    let caught: unknown;
    try {
      assertTelegramMessageShape(update);
    } catch (error) {
      caught = error;
    }
    expect(isGatewayError(caught, 'BAD_REQUEST')).toBe(true);
    expect((caught as Error).message).toMatch(/^malformed Telegram update: message/);
  });

  it('the webhook answers 400, not 500, for a signed but malformed update', async () => {
    const ctx = createTestContext({
      env: { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'secret-123456' },
      config: { channels: { telegram: { enabled: true } } },
    });
    const update = good();
    Object.assign(update.message, { chat: 'not a chat' });
    const res = await createApp(ctx, { clientAddress: () => '127.0.0.1' }).request('/telegram/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'secret-123456' },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(400);
    expect(await ctx.store.keys('spool:')).toEqual([]);
  });
});
