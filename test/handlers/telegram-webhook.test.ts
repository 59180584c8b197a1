import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTelegramChannel } from '../../src/core/channels/telegram/adapter';
import type { ModelRouter } from '../../src/core/providers/types';
import { createApp } from '../../src/handlers/app';
import { type FakeBotApi, startFakeBotApi, updates } from '../fakes/telegram-bot-api';
import { createTestContext, type TestContext } from '../helpers/context';

const SECRET = 'unit_secret-0123456789';
/** Model calls wait for this gate, so a test sees the state between the 200 and the run. */
let gate: Promise<void> = Promise.resolve();
const models: ModelRouter = {
  async *stream() {
    await gate;
    yield { type: 'text', delta: 'fine' };
    yield { type: 'done', stopReason: 'end', usage: { inputTokens: 1, outputTokens: 1 } };
  },
};

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(() => fake.close());

function setup(
  telegram: Record<string, unknown> = { enabled: true, webhookSecret: SECRET, dmPolicy: 'open' },
) {
  const ctx = createTestContext({
    env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.origin },
    config: { agents: { defaults: { model: { primary: 'anthropic/claude-test' } } }, channels: { telegram } },
    models,
  });
  registerTelegramChannel(ctx);
  const app = createApp(ctx, { clientAddress: () => '127.0.0.1' });
  const post = (body: unknown, secret?: string, path = '/telegram/webhook') =>
    app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ctx, post };
}

const settle = (ctx: TestContext) => ctx.settle();

describe('handleTelegramWebhook', () => {
  it('spools the update before it answers 200', async () => {
    const { ctx, post } = setup();
    let open = () => {};
    gate = new Promise((resolve) => (open = resolve));
    const res = await post(
      { update_id: 1, ...updates.privateText('hi', { userId: 11, messageId: 3 }) },
      SECRET,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: 'accepted' });
    // Durable at the moment of the 200 (the run happens afterwards, through waitUntil).
    expect(await ctx.store.keys('spool:telegram:')).toEqual(['spool:telegram:11:3']);
    open();
    await settle(ctx);
    expect(await ctx.store.keys('spool:telegram:')).toEqual([]);
    expect(fake.callsOf('sendMessage').find((c) => c.params.chat_id === '11')?.params.text).toBe('fine');
  });

  it('answers a redelivery as a duplicate', async () => {
    const { ctx, post } = setup();
    const update = { update_id: 2, ...updates.privateText('hi', { userId: 12, messageId: 4 }) };
    expect(await (await post(update, SECRET)).json()).toEqual({ ok: true, result: 'accepted' });
    expect(await (await post(update, SECRET)).json()).toEqual({ ok: true, result: 'duplicate' });
    await settle(ctx);
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'unit_secret-0123456788'],
    ['empty', ''],
  ])('401 on a %s secret, before reading the body', async (_name, secret) => {
    const { ctx, post } = setup();
    const res = await post('{not even json', secret);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHORIZED');
    expect(await ctx.store.keys('spool:')).toEqual([]);
  });

  it('fails closed when no secret is configured or stored', async () => {
    const { post } = setup({ enabled: true });
    expect((await post({ update_id: 3 }, 'anything')).status).toBe(401);
  });

  it('400 on bodies that are not updates', async () => {
    const { post } = setup();
    expect((await post('{oops', SECRET)).status).toBe(400);
    expect((await post([1], SECRET)).status).toBe(400);
    expect((await post({ message: {} }, SECRET)).status).toBe(400);
  });

  it('acknowledges updates it does not answer', async () => {
    const { ctx, post } = setup();
    const res = await post({ update_id: 5, edited_message: updates.privateText('x').message }, SECRET);
    expect(await res.json()).toEqual({ ok: true, result: 'ignored' });
    expect(await ctx.store.keys('spool:')).toEqual([]);
  });

  it('404 when the channel is off, and at any other path than webhookPath', async () => {
    expect(
      (await setup({ enabled: false, webhookSecret: SECRET }).post({ update_id: 6 }, SECRET)).status,
    ).toBe(404);
    const custom = setup({ enabled: true, webhookSecret: SECRET, webhookPath: '/tg/hook' });
    expect((await custom.post({ update_id: 7 }, SECRET)).status).toBe(404);
    expect((await custom.post({ update_id: 7 }, SECRET, '/tg/hook')).status).toBe(200);
  });
});
