import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../../../fakes/anthropic-server';
import { updates } from '../../../fakes/telegram-bot-api';
import { eventually, sentTexts, startTelegramWorld, type TelegramWorld } from './harness';

const LONG = Array.from(
  { length: 30 },
  (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(11).trim()}`,
).join('\n\n');

let world: TelegramWorld;
beforeAll(async () => {
  world = await startTelegramWorld({
    fixedPort: true,
    telegram: { webhookUrl: 'http://127.0.0.1:{PORT}', dmPolicy: 'open', groupPolicy: 'open' },
    llm: {
      respond: (request) =>
        request.lastUserText.includes('long answer please') ? reply.text(LONG) : undefined,
    },
    waitFor: /\[telegram\] webhook set to/,
  });
});
afterAll(() => world?.close());

const webhookUrl = () => `${world.gateway.url}/telegram/webhook`;
const post = (body: string, secret?: string) =>
  fetch(webhookUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body,
  });

describe('telegram webhook (real gateway, fake Bot API)', () => {
  it('registers the webhook with a generated secret kept 0600 in the credentials area', async () => {
    const hook = world.bot.webhook();
    expect(hook?.url).toBe(webhookUrl());
    expect(hook?.secret_token).toMatch(/^[0-9a-f]{64}$/);
    expect(hook?.allowed_updates).toEqual(['message']);
    const file = join(world.stateDir, 'credentials', 'secrets', 'TELEGRAM_WEBHOOK_SECRET');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBe(hook?.secret_token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(world.gateway.output()).not.toContain(hook!.secret_token!);
    expect(world.bot.callsOf('getUpdates')).toEqual([]);
    expect((await world.status()).channels.telegram).toMatchObject({
      state: 'connected',
      mode: 'webhook',
      login: '@krab_test_bot',
    });
  });

  it('answers a delivery with the right secret, then replies in the chat', async () => {
    const res = await world.bot.deliverWebhook(updates.privateText('hi via webhook', { userId: 6001 }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, result: 'accepted' });
    await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '6001');
    expect(sentTexts(world.bot, 6001)).toEqual(['echo: hi via webhook']);
  });

  it('refuses a missing or wrong secret with 401 and spools nothing', async () => {
    const body = JSON.stringify({ update_id: 1, ...updates.privateText('sneaky', { userId: 6002 }) });
    const missing = await post(body);
    const wrong = await post(body, 'f'.repeat(64));
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect((await missing.json()).error.code).toBe('UNAUTHORIZED');
    const viaFake = await world.bot.deliverWebhook(
      updates.privateText('sneaky', { userId: 6002 }),
      'wrong-secret',
    );
    expect(viaFake.status).toBe(401);
    const spooled = readdirSync(join(world.stateDir, 'spool'), { recursive: true }).map(String);
    expect(spooled.filter((name) => name.includes('6002'))).toEqual([]);
    expect(sentTexts(world.bot, 6002)).toEqual([]);
  });

  it('answers bad bodies with 400, not a crash', async () => {
    const secret = world.bot.webhook()!.secret_token!;
    expect((await post('{not json', secret)).status).toBe(400);
    expect((await post('[1,2]', secret)).status).toBe(400);
    expect((await post('{"update_id":"x"}', secret)).status).toBe(400);
    expect((await fetch(`${world.gateway.url}/health`)).status).toBe(200);
  });

  it('answers a redelivered update_id once', async () => {
    const update = {
      update_id: 777001,
      ...updates.privateText('only once', { userId: 6003, messageId: 31 }),
    };
    const first = await world.bot.deliverWebhook(update);
    const again = await world.bot.deliverWebhook(update);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(JSON.parse(again.body).result).toBe('duplicate');
    await world.bot.deliverWebhook(updates.privateText('sentinel', { userId: 6003, messageId: 32 }));
    await eventually(() => expect(sentTexts(world.bot, 6003)).toContain('echo: sentinel'));
    expect(sentTexts(world.bot, 6003).filter((t) => t === 'echo: only once')).toHaveLength(1);
  });

  it('in groups answers only when mentioned, replied to, or /command@bot', async () => {
    const chatId = -100600;
    const bot = { id: world.bot.botId, username: world.bot.username };
    await world.bot.deliverWebhook(updates.groupText('just talking among us', { chatId, messageId: 1 }));
    await world.bot.deliverWebhook(updates.groupText('@krab_test_bot what now?', { chatId, messageId: 2 }));
    await world.bot.deliverWebhook(updates.groupText('and this?', { chatId, messageId: 3, replyToBot: bot }));
    await world.bot.deliverWebhook(updates.groupText('@someone_else not you', { chatId, messageId: 4 }));
    await world.bot.deliverWebhook(updates.groupText('/status@krab_test_bot', { chatId, messageId: 5 }));
    await eventually(() => expect(sentTexts(world.bot, chatId)).toHaveLength(3));
    const texts = sentTexts(world.bot, chatId);
    expect(texts[0]).toBe('echo: [Ada]: @krab_test_bot what now?');
    expect(texts[1]).toContain('and this?');
    expect(texts[2]).toMatch(/^Agent main: model anthropic\/claude-test/);
    // Nothing was sent for the unaddressed messages (each chat is answered in order).
    expect(texts.join('\n')).not.toMatch(/among us|not you/);
  });

  it('replies in the same forum topic, quoting the message', async () => {
    await world.bot.deliverWebhook(
      updates.groupText('@krab_test_bot in the topic', { chatId: -100601, messageId: 90, threadId: 301 }),
    );
    const sent = await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '-100601');
    expect(sent.params.message_thread_id).toBe(301);
    expect(sent.params.reply_parameters).toMatchObject({ message_id: 90 });
    const typing = world.bot.callsOf('sendChatAction').find((c) => c.params.chat_id === '-100601');
    expect(typing?.params).toMatchObject({ action: 'typing', message_thread_id: 301 });
  });

  it('splits a long answer at 4096 characters, quoting only in the first part', async () => {
    await world.bot.deliverWebhook(updates.privateText('long answer please', { userId: 6004 }));
    await eventually(() =>
      expect(sentTexts(world.bot, 6004).join('').length).toBeGreaterThan(LONG.length - 100),
    );
    const sends = world.bot.callsOf('sendMessage').filter((c) => c.params.chat_id === '6004');
    expect(sends.length).toBe(Math.ceil(LONG.length / 4096));
    for (const send of sends) expect(send.params.text!.length).toBeLessThanOrEqual(4096);
    expect(sends[0]!.params.reply_parameters).toBeDefined();
    expect(sends.slice(1).every((s) => s.params.reply_parameters === undefined)).toBe(true);
    expect(sends.map((s) => s.params.text).join('\n\n')).toBe(LONG);
  });

  it('sends plain text when Telegram cannot parse the entities', async () => {
    world.bot.behaviour.rejectEntities = true;
    try {
      await world.bot.deliverWebhook(updates.privateText('format **this** <please>', { userId: 6005 }));
      await eventually(() =>
        expect(world.bot.callsOf('sendMessage').filter((c) => c.params.chat_id === '6005')).toHaveLength(2),
      );
    } finally {
      world.bot.behaviour.rejectEntities = false;
    }
    const [html, plain] = world.bot.callsOf('sendMessage').filter((c) => c.params.chat_id === '6005');
    expect(html!.params).toMatchObject({
      parse_mode: 'HTML',
      text: 'echo: format <b>this</b> &lt;please&gt;',
    });
    expect(plain!.params.parse_mode).toBeUndefined();
    expect(plain!.params.text).toBe('echo: format **this** <please>');
  });

  it('passes a photo to the model as an image, with its caption', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a464946000101', 'hex');
    world.bot.addFile('photo-1', jpeg, 'photos/file_1.jpg');
    const { text: _text, ...message } = updates.privateText('', { userId: 6006 }).message;
    const update = {
      message: {
        ...message,
        caption: 'what is this?',
        photo: [
          { file_id: 'photo-1', file_unique_id: 'p1', width: 800, height: 600, file_size: jpeg.length },
        ],
      },
    };
    expect((await world.bot.deliverWebhook(update)).status).toBe(200);
    await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '6006');
    const request = world.llm.requests.find((r) => JSON.stringify(r.body).includes('what is this?'));
    const content = (request!.body.messages as Array<{ content: unknown }>).at(-1)?.content;
    expect(content).toContainEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: jpeg.toString('base64') },
    });
  });
});
