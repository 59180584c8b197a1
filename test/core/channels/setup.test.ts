import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupCatalog, setupChannel } from '../../../src/core/channels/setup';
import { GatewayError } from '../../../src/core/errors';
import { credentialKey } from '../../../src/core/secrets';
import { type FakeBotApi, startFakeBotApi } from '../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../helpers/context';

let bot: FakeBotApi;
beforeAll(async () => {
  bot = await startFakeBotApi({ username: 'setup_test_bot' });
});
afterAll(() => bot.close());

function context() {
  const clock = createManualClock();
  const ctx = createTestContext({
    clock,
    env: { TELEGRAM_API_ROOT: bot.origin },
    config: { gateway: { mode: 'local' }, channels: { telegram: { dmPolicy: 'pairing' } } },
  });
  return { ctx, clock };
}

async function refusal(work: Promise<unknown>): Promise<GatewayError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('channels.setup (core)', () => {
  it('lists each channel of the table with its fields; Telegram asks for a "Bot token", a secret', () => {
    const telegram = setupCatalog().find((entry) => entry.id === 'telegram');
    expect(telegram).toMatchObject({
      label: 'Telegram',
      fields: [{ name: 'token', label: 'Bot token', secret: true }],
    });
    expect(setupCatalog().map((entry) => entry.id)).toEqual(expect.arrayContaining(['discord', 'whatsapp']));
  });

  it('validates with getMe, stores the token as a credential, enables the channel, keeps the rest', async () => {
    const { ctx } = context();
    const result = await setupChannel(ctx, 'telegram', { token: ` ${bot.token}\n` });
    expect(result).toEqual({ channel: 'telegram', account: '@setup_test_bot', notes: [] });
    expect(await ctx.store.get(credentialKey('TELEGRAM_BOT_TOKEN'))).toBe(bot.token);
    expect(ctx.persisted.at(-1)).toMatchObject({
      gateway: { mode: 'local' },
      channels: { telegram: { dmPolicy: 'pairing', enabled: true } },
    });
    expect(JSON.stringify(ctx.persisted)).not.toContain(bot.token);
    expect(bot.callsOf('getMe').length).toBeGreaterThan(0);
  });

  it('refuses bad input before calling the platform: empty, spaces or line breaks, over 10 KB, unknown', async () => {
    const { ctx } = context();
    const before = bot.calls.length;
    expect((await refusal(setupChannel(ctx, 'telegram', { token: '  ' }))).message).toBe('Bot token: empty');
    for (const token of ['123:abc def', '123:abc\ndef', '123:abc\tdef'])
      expect((await refusal(setupChannel(ctx, 'telegram', { token }))).message).toMatch(
        /^Bot token: contains spaces or line breaks/,
      );
    const big = await refusal(setupChannel(ctx, 'telegram', { token: 'x'.repeat(10 * 1024 + 1) }));
    expect(big).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/longer than 10 KB/),
    });
    expect((await refusal(setupChannel(ctx, 'telegram', { token: 'a', extra: 'b' }))).message).toMatch(
      /no field "extra"/,
    );
    expect((await refusal(setupChannel(ctx, 'nope', {}))).code).toBe('NOT_FOUND');
    expect((await refusal(setupChannel(ctx, 'constructor', {}))).code).toBe('NOT_FOUND');
    expect(bot.calls.length).toBe(before);
    expect(ctx.persisted).toEqual([]);
  });

  it('says what the platform answered when it rejects the token; stores nothing', async () => {
    const { ctx } = context();
    const error = await refusal(
      setupChannel(ctx, 'telegram', { token: '999999:not-the-token-abcdefghijklmnop' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^Telegram did not accept it: .*Unauthorized/);
    expect(await ctx.store.get(credentialKey('TELEGRAM_BOT_TOKEN'))).toBeNull();
    expect(ctx.persisted).toEqual([]);
  });

  it('times out a platform that does not answer (gateway clock), and refuses a double submit meanwhile', async () => {
    const { ctx, clock } = context();
    bot.behaviour.hang.getMe = true;
    try {
      const first = setupChannel(ctx, 'telegram', { token: bot.token });
      const second = await refusal(setupChannel(ctx, 'telegram', { token: bot.token }));
      expect(second).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/already being set up/),
      });
      clock.advance(14_999);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1);
      const timedOut = await refusal(first);
      expect(timedOut).toMatchObject({
        code: 'TIMEOUT',
        retryable: true,
        message: 'Telegram did not answer within 15 s; try again',
      });
      expect(ctx.persisted).toEqual([]);
    } finally {
      bot.behaviour.hang.getMe = false;
    }
    // Free again after the timeout.
    expect((await setupChannel(ctx, 'telegram', { token: bot.token })).account).toBe('@setup_test_bot');
  });

  it('says when a token in krabkrab.json will win over the stored one (read before it)', async () => {
    const ctx = createTestContext({
      env: { TELEGRAM_API_ROOT: bot.origin, OLD_TOKEN: 'old' },
      config: { gateway: { mode: 'local' }, channels: { telegram: { botToken: '${OLD_TOKEN}' } } },
    });
    const result = await setupChannel(ctx, 'telegram', { token: bot.token });
    expect(result.notes).toEqual([
      'channels.telegram.botToken in krabkrab.json wins over the stored value; remove it',
    ]);
  });

  it('an env var that is set but blank does not win: the stored token is used, and the notes say nothing else', async () => {
    const ctx = createTestContext({
      env: { TELEGRAM_API_ROOT: bot.origin, TELEGRAM_BOT_TOKEN: '  ' },
      config: { gateway: { mode: 'local' } },
    });
    const result = await setupChannel(ctx, 'telegram', { token: bot.token });
    expect(result.notes).toEqual([]);
    expect(await ctx.store.get(credentialKey('TELEGRAM_BOT_TOKEN'))).toBe(bot.token);
  });
});
