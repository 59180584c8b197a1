import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updates } from '../../../fakes/telegram-bot-api';
import { eventually, sentTexts, startTelegramWorld, type TelegramWorld } from './harness';

// One gateway for the polling tests (they run in order, each in its own chat): starts are the slow part.
let world: TelegramWorld;
beforeAll(async () => {
  world = await startTelegramWorld({ telegram: { dmPolicy: 'open' } });
});
afterAll(() => world?.close());

describe('telegram polling (real gateway, fake Bot API)', () => {
  it('logs in, deletes the webhook, answers a DM and confirms the update only after spooling', async () => {
    const { bot } = world;
    expect(world.gateway.output()).toContain('[telegram] logged in to telegram as @krab_test_bot');
    await bot.waitForCall('deleteWebhook');
    const first = await bot.waitForCall('getUpdates');
    expect(first.params.allowed_updates).toEqual(['message']);

    const id = bot.pushUpdate(updates.privateText('hello there', { userId: 5001 }));
    const sent = await bot.waitForCall('sendMessage', (c) => c.params.chat_id === '5001');
    expect(sent.params.text).toBe('echo: hello there');
    expect(sent.params.reply_parameters?.message_id).toBeGreaterThan(0);
    // The next poll carries the offset that confirms the update, and Telegram forgets it.
    await bot.waitForCall('getUpdates', (c) => Number(c.params.offset) === id + 1);
    expect(bot.pendingUpdates()).toEqual([]);
    const status = await world.status();
    expect(status.channels.telegram).toMatchObject({
      state: 'connected',
      login: '@krab_test_bot',
      mode: 'polling',
    });
  });

  it('backs off and retries on network errors, and says so once per failure', async () => {
    const { bot } = world;
    bot.behaviour.dropNext.getUpdates = 2;
    // The poll in flight returns this one; the two polls after it fail at the socket.
    const first = bot.pushUpdate(updates.privateText('before the outage', { userId: 5002 }));
    await world.gateway.waitForLine(/\[telegram\] polling works again/);
    const output = world.gateway.output();
    expect(output).toMatch(
      /\[telegram\] getUpdates failed: cannot reach the Bot API: .*; retrying in 500 ms/,
    );
    expect(output).toMatch(/\[telegram\] getUpdates failed: cannot reach the Bot API: .*; retrying in 1 s/);
    bot.pushUpdate(updates.privateText('after the outage', { userId: 5002 }));
    await eventually(() =>
      expect(sentTexts(bot, 5002)).toEqual(['echo: before the outage', 'echo: after the outage']),
    );
    // The confirming offset of the first update survived the failed polls.
    expect(bot.callsOf('getUpdates').some((c) => Number(c.params.offset) === first + 1)).toBe(true);
  });

  it('logs a 409 from another poller clearly and recovers when it goes away', async () => {
    const { bot } = world;
    bot.behaviour.conflict = true;
    bot.pushUpdate(updates.privateText('wakes the poll in flight', { userId: 5003 }));
    await world.gateway.waitForLine(/\[telegram\] another process is using this bot token \(409 Conflict/);
    expect((await world.status()).channels.telegram?.state).toBe('reconnecting');
    bot.pushUpdate(updates.privateText('sent during the conflict', { userId: 5004 }));
    bot.behaviour.conflict = false;
    await bot.waitForCall('sendMessage', (c) => c.params.chat_id === '5004');
    expect(sentTexts(bot, 5004)).toEqual(['echo: sent during the conflict']);
    await eventually(async () => expect((await world.status()).channels.telegram?.state).toBe('connected'));
  });
});

describe('telegram login', () => {
  it('a rejected token is one clear line, status failed, and the gateway stays up', async () => {
    const world = await startTelegramWorld({
      env: { TELEGRAM_BOT_TOKEN: '999:not-the-right-token-abcdefghijklmnopqrstuv' },
      waitFor: /\[telegram\] login failed/,
    });
    try {
      const lines = world.gateway
        .output()
        .split('\n')
        .filter((l) => l.startsWith('[telegram]'));
      expect(lines.filter((l) => l.includes('login failed'))).toHaveLength(1);
      expect(lines.join('\n')).toContain('Telegram rejected the bot token (401 Unauthorized)');
      expect(world.gateway.output()).not.toContain('not-the-right-token');
      const status = await world.status();
      expect(status.channels.telegram).toMatchObject({ state: 'failed' });
      expect(status.channels.telegram?.error).toMatch(/rejected the bot token/);
      expect((await fetch(`${world.gateway.url}/health`)).status).toBe(200);
      expect(world.bot.callsOf('getUpdates')).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
