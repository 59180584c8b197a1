// Fuzz: POST /telegram/webhook through the hono app. Random and mutated updates (private and
// group texts, photos, edits, callbacks, junk), random paths and content types, and the secret
// header right, wrong, mutated, missing. Properties in webhook-harness.ts: never a 5xx or an
// escaped exception, an unsigned request refused and without effect, no secret anywhere.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { registerTelegramChannel } from '../../src/core/channels/telegram/adapter';
import { SECRET_HEADER } from '../../src/core/channels/telegram/verify';
import { createApp } from '../../src/handlers/app';
import { type FakeBotApi, startFakeBotApi, updates } from '../fakes/telegram-bot-api';
import { createTestContext } from '../helpers/context';
import { createScriptedRouter } from '../helpers/scripted-router';
import { bodyFrom, headerJunk, junkText, mutatedString, sendableHeader } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { checkWebhook, type WebhookWorld } from './webhook-harness';

const SECRET = 'tg-webhook-SECRET-fuzz_0123456789';
const API_KEY = 'sk-ant-fuzz-SECRET-telegram-abcdef';
const BOT_TOKEN = '424242:fuzz-SECRET-bot-token-abcdefghijk';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ token: BOT_TOKEN });
});
afterAll(() => fake.close());

function world(dmPolicy: string): WebhookWorld {
  const models = createScriptedRouter();
  const ctx = createTestContext({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.origin,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ANTHROPIC_API_KEY: API_KEY,
    },
    config: {
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: { telegram: { enabled: true, dmPolicy, groupPolicy: 'open' } },
    },
    models,
  });
  registerTelegramChannel(ctx);
  const app = createApp(ctx, { clientAddress: () => '149.154.167.220' });
  return { ctx, app, outsideCalls: () => fake.calls.length + models.requests.length };
}

const id = fc.oneof(fc.integer({ min: -2e12, max: 2e12 }), fc.constantFrom(0, 1, -1, 2 ** 53));
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('/start', '/reset', '/new', '@krab_test_bot hi', 'x'.repeat(5000), ''),
);
const update = fc.oneof(
  fc.tuple(id, text, id, id).map(([u, t, user, msg]) => ({
    update_id: u,
    ...updates.privateText(t, { userId: user, messageId: msg }),
  })),
  fc.tuple(id, text, id, id, fc.option(id)).map(([u, t, chat, msg, thread]) => ({
    update_id: u,
    ...updates.groupText(t, {
      chatId: chat,
      messageId: msg,
      ...(thread === null ? {} : { threadId: thread }),
    }),
  })),
  fc.tuple(id, id).map(([u, user]) => {
    const { message } = updates.privateText('', { userId: user });
    const { text: _text, ...rest } = message;
    return {
      update_id: u,
      message: {
        ...rest,
        caption: 'look',
        photo: [{ file_id: 'no-such-file', file_unique_id: 'u', width: 9, height: 9 }],
      },
    };
  }),
  fc.tuple(id, text).map(([u, t]) => ({ update_id: u, edited_message: updates.privateText(t).message })),
  id.map((u) => ({
    update_id: u,
    callback_query: { id: 'cb', from: { id: 1, is_bot: false, first_name: 'A' }, data: 'x' },
  })),
  id.map((u) => ({ update_id: u, my_chat_member: { chat: { id: 1, type: 'private' } } })),
);

const secretHeader = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string | null>(SECRET) },
  { weight: 3, arbitrary: mutatedString(SECRET) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | null>(null, '', SECRET.toUpperCase(), `${SECRET} `, BOT_TOKEN),
  },
  { weight: 1, arbitrary: junkText },
);

const request = fc.record({
  path: fc.oneof(
    { weight: 8, arbitrary: fc.constant('/telegram/webhook') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/telegram/webhook/',
        '/telegram/Webhook',
        '/telegram',
        '/telegram/webhook?x=1',
      ),
    },
  ),
  secret: secretHeader,
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: headerJunk },
  ),
  body: bodyFrom(update),
  dmPolicy: fc.constantFrom('open', 'pairing', 'disabled'),
});

describe('fuzz: Telegram webhook', () => {
  it(
    'never a 5xx, nothing accepted without the exact secret, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers = new Headers();
          if (sendableHeader(r.contentType)) headers.set('content-type', r.contentType);
          if (r.secret !== null && sendableHeader(r.secret)) headers.set(SECRET_HEADER, r.secret);
          const req = new Request(`http://127.0.0.1:3000${r.path}`, {
            method: 'POST',
            headers,
            body: r.body,
          });
          await checkWebhook({
            world: world(r.dmPolicy),
            request: req,
            // What arrives after header normalisation, compared exactly.
            genuine: req.headers.get(SECRET_HEADER) === SECRET,
            secrets: [SECRET, BOT_TOKEN, API_KEY],
          });
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(40),
  );
});
