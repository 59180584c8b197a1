import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBotApi, updates } from '../../../fakes/telegram-bot-api';
import { cleanEnv, removeDir, runCli, tempStateDir } from '../../../helpers/gateway-process';
import { eventually, sentTexts, startTelegramWorld, type TelegramWorld } from './harness';

let world: TelegramWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A shell on the machine (`fly ssh console`): the state dir in env, no token there. */
const shellEnv = (w: TelegramWorld, extra: Record<string, string | undefined> = {}) =>
  cleanEnv({ krabkrab_STATE_DIR: w.stateDir, TELEGRAM_API_ROOT: w.bot.origin, ...extra });

describe('onboarding from a shell: channels add telegram, then pairing', () => {
  it('adds the bot to a running gateway, which logs in; a stranger pairs and is answered after approval', async () => {
    world = await startTelegramWorld({
      env: { TELEGRAM_BOT_TOKEN: undefined },
      config: { channels: {} },
      waitFor: null,
    });
    expect((await world.status()).channels.telegram).toBeUndefined();

    const added = await runCli(['channels', 'add', 'telegram', '--token', world.bot.token], shellEnv(world));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('telegram: the credentials belong to @krab_test_bot');
    expect(added.stdout).toContain('krabkrab pairing approve telegram <code>');
    expect(added.stdout).not.toContain(world.bot.token);

    const file = join(world.stateDir, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBe(world.bot.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const configText = readFileSync(join(world.stateDir, 'krabkrab.json'), 'utf8');
    expect(JSON.parse(configText).channels.telegram).toEqual({ enabled: true });
    expect(configText).not.toContain(world.bot.token.split(':')[1]);

    // The running gateway reloads krabkrab.json and logs in with the stored token.
    await world.gateway.waitForLine(/\[telegram\] logged in to telegram as @krab_test_bot/);
    await world.bot.waitForCall('getUpdates');

    world.bot.pushUpdate(updates.privateText('hello?', { userId: 8001 }));
    const pairingReply = await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === '8001');
    const code = /pairing code is ([A-Z0-9]{6})/.exec(pairingReply.params.text!)?.[1];
    expect(code).toBeDefined();
    expect(world.llm.requests).toHaveLength(0);

    const approved = await runCli(['pairing', 'approve', 'telegram', code!], shellEnv(world));
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved telegram user Ada (8001)');

    world.bot.pushUpdate(updates.privateText('now can we talk?', { userId: 8001 }));
    await eventually(() => expect(sentTexts(world!.bot, 8001)).toContain('echo: now can we talk?'));
    expect(world.gateway.output()).not.toContain(world.bot.token);
  });

  it('refuses a token Telegram rejects, and stores nothing (no gateway needed)', async () => {
    const bot = await startFakeBotApi();
    const stateDir = tempStateDir('krab-telegram-cli-');
    try {
      writeFileSync(
        join(stateDir, 'krabkrab.json'),
        JSON.stringify({ gateway: { mode: 'local' }, channels: {} }),
      );
      const env = cleanEnv({ krabkrab_STATE_DIR: stateDir, TELEGRAM_API_ROOT: bot.origin });
      const wrong = '111111:AAwrong-token-abcdefghijklmnopqrstuvwxyz';
      const result = await runCli(['channels', 'add', 'telegram', '--token', wrong], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'Telegram did not accept it: Telegram rejected the bot token (401 Unauthorized)',
      );
      expect(result.stderr + result.stdout).not.toContain('AAwrong');
      expect(() => statSync(join(stateDir, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN'))).toThrow();
      expect(JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).channels).toEqual({});

      const malformed = await runCli(['channels', 'add', 'telegram', '--token', 'not-a-token'], env);
      expect(malformed.code).toBe(1);
      expect(malformed.stderr).toContain('does not look like a bot token');
      const missing = await runCli(['channels', 'add', 'telegram'], env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--token');
    } finally {
      await bot.close();
      removeDir(stateDir);
    }
  });
});
