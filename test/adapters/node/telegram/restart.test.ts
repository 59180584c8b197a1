import { afterEach, describe, expect, it } from 'vitest';
import { reply } from '../../../fakes/anthropic-server';
import { updates } from '../../../fakes/telegram-bot-api';
import { eventually, sentTexts, startTelegramWorld, type TelegramWorld } from './harness';

let world: TelegramWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('telegram webhook durability and paths', () => {
  it('SIGKILL after the 200 and before the reply: the restarted gateway replies exactly once', async () => {
    let calls = 0;
    world = await startTelegramWorld({
      fixedPort: true,
      telegram: { webhookUrl: 'http://127.0.0.1:{PORT}', dmPolicy: 'open' },
      // The first model call never answers, so the kill lands between the ack and the reply.
      llm: { respond: () => (++calls === 1 ? reply.hang() : undefined) },
      waitFor: /\[telegram\] webhook set to/,
    });
    const update = {
      update_id: 880001,
      ...updates.privateText('survive the crash', { userId: 7001, messageId: 11 }),
    };
    const ack = await world.bot.deliverWebhook(update);
    expect(ack.status).toBe(200);
    await world.llm.waitForRequests(1);
    await world.gateway.stop('SIGKILL');
    expect(sentTexts(world.bot, 7001)).toEqual([]);

    await world.restart();
    await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '7001');
    // Telegram redelivering the same update (as if the 200 had been lost) changes nothing.
    const again = await world.bot.deliverWebhook(update);
    expect(JSON.parse(again.body).result).toBe('duplicate');
    await world.bot.deliverWebhook(updates.privateText('sentinel', { userId: 7001, messageId: 12 }));
    await eventually(() => expect(sentTexts(world!.bot, 7001)).toContain('echo: sentinel'));
    expect(sentTexts(world.bot, 7001).filter((t) => t === 'echo: survive the crash')).toHaveLength(1);
    expect(world.gateway.output()).toMatch(/replaying 1 unfinished message/);
  });

  it('polling: SIGKILL after the offset confirmed the update, before the reply: answered once from the spool', async () => {
    let calls = 0;
    world = await startTelegramWorld({
      telegram: { dmPolicy: 'open' },
      llm: { respond: () => (++calls === 1 ? reply.hang() : undefined) },
    });
    await world.bot.waitForCall('getUpdates');
    const id = world.bot.pushUpdate(
      updates.privateText('polled, then crashed', { userId: 7010, messageId: 21 }),
    );
    await world.llm.waitForRequests(1);
    await world.gateway.stop('SIGKILL');
    // The update was confirmed to Telegram (next offset) only once it was in the spool...
    expect(world.bot.callsOf('getUpdates').some((c) => Number(c.params.offset) === id + 1)).toBe(true);
    expect(world.bot.pendingUpdates()).toEqual([]);
    expect(sentTexts(world.bot, 7010)).toEqual([]);
    // ...so the restarted gateway answers it from there.
    await world.restart();
    await world.gateway.waitForLine(/replaying 1 unfinished message/);
    world.bot.pushUpdate(updates.privateText('sentinel', { userId: 7010, messageId: 22 }));
    await eventually(() => expect(sentTexts(world!.bot, 7010)).toContain('echo: sentinel'));
    expect(sentTexts(world.bot, 7010).filter((t) => t === 'echo: polled, then crashed')).toHaveLength(1);
  });

  it('serves the webhook at webhookPath only', async () => {
    world = await startTelegramWorld({
      fixedPort: true,
      telegram: {
        webhookUrl: 'http://127.0.0.1:{PORT}',
        webhookPath: '/hooks/tg-7f3a',
        webhookSecret: 'configured_secret-123',
        dmPolicy: 'open',
      },
      waitFor: /\[telegram\] webhook set to/,
    });
    expect(world.bot.webhook()).toMatchObject({
      url: `${world.gateway.url}/hooks/tg-7f3a`,
      secret_token: 'configured_secret-123',
    });
    const update = updates.privateText('custom path', { userId: 7002 });
    const res = await world.bot.deliverWebhook(update);
    expect(res.status).toBe(200);
    const old = await fetch(`${world.gateway.url}/telegram/webhook`, {
      method: 'POST',
      headers: {
        'x-telegram-bot-api-secret-token': 'configured_secret-123',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ update_id: 5, ...update }),
    });
    expect(old.status).toBe(404);
    await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '7002');
  });

  it('webhookUrl "auto" waits for the tunnel and registers at the URL it announces', async () => {
    world = await startTelegramWorld({
      fixedPort: true,
      telegram: { webhookUrl: 'auto', dmPolicy: 'open' },
      waitFor: null,
    });
    // No tunnel and no public URL yet: the channel waits instead of polling.
    await world.gateway.waitForLine(/\[telegram\] webhookUrl is "auto": waiting for the tunnel/);
    expect(world.bot.callsOf('setWebhook')).toEqual([]);
    expect(world.bot.callsOf('getUpdates')).toEqual([]);
    // The owner sets a public URL; the tunnel service announces it (tunnel.url) on reload.
    world.writeConfig({ ...world.config, gateway: { mode: 'local', publicUrl: 'http://127.0.0.1:{PORT}' } });
    const set = await world.bot.waitForCall('setWebhook');
    expect(set.params.url).toBe(`${world.gateway.url}/telegram/webhook`);
    expect((await world.bot.deliverWebhook(updates.privateText('via tunnel', { userId: 7003 }))).status).toBe(
      200,
    );
    await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '7003');
  });
});
