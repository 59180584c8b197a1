import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../../fakes/anthropic-server';
import { type FakeBotApi, startFakeBotApi, updates } from '../../fakes/telegram-bot-api';
import { startWorker, type WorkerTarget } from '../../helpers/worker-target';

const SECRET = 'worker_webhook-secret-0123456789';

let bot: FakeBotApi;
let llm: FakeLlmServer;
let worker: WorkerTarget;
beforeAll(async () => {
  bot = await startFakeBotApi();
  llm = await startFakeAnthropic();
  worker = await startWorker(
    {
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_API_ROOT: bot.origin,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ANTHROPIC_API_KEY: 'sk-ant-worker-test-0123456789',
      ANTHROPIC_BASE_URL: llm.origin,
      krabkrab_GATEWAY_TOKEN: 'worker-gateway-token-0123456789',
    },
    {
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: {
        telegram: { enabled: true, webhookUrl: 'https://krab.example.workers.dev', dmPolicy: 'open' },
      },
    },
  );
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await bot?.close();
  await llm?.close();
});

const deliver = (update: Record<string, unknown>, secret?: string) =>
  fetch(`${worker.url}/telegram/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: JSON.stringify(update),
  });

describe('telegram webhook on Workers (workerd via miniflare)', () => {
  it('refuses a missing or wrong secret with 401', async () => {
    const update = { update_id: 1, ...updates.privateText('intruder', { userId: 9001 }) };
    expect((await deliver(update)).status).toBe(401);
    expect((await deliver(update, 'wrong')).status).toBe(401);
  });

  it('spools with the right secret, answers 200, and replies through the Bot API', async () => {
    const update = { update_id: 2, ...updates.privateText('hello worker', { userId: 9002, messageId: 5 }) };
    const res = await deliver(update, SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: 'accepted' });
    const sent = await bot.waitForCall('sendMessage', (c) => c.params.chat_id === '9002', 15_000);
    expect(sent.params).toMatchObject({
      text: 'echo: hello worker',
      parse_mode: 'HTML',
      reply_parameters: { message_id: 5 },
    });
    // getMe was asked once, for the bot's username (there is no Node service here to log in).
    expect(bot.callsOf('getMe').length).toBe(1);
    expect(await (await deliver(update, SECRET)).json()).toEqual({ ok: true, result: 'duplicate' });
  });
});
