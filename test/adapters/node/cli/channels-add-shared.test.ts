import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupChannel } from '../../../../src/core/channels/setup';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { createTestContext } from '../../../helpers/context';
import { cli } from './run-in-process';

/**
 * `krabkrab channels add` runs `channels.setup`'s code: the same bad input gets the same answer in
 * the shell as over the control connection, against the same fake Bot API.
 */
let bot: FakeBotApi;
let stateDir: string;
beforeAll(async () => {
  bot = await startFakeBotApi({ username: 'shared_setup_bot' });
  stateDir = await mkdtemp(join(tmpdir(), 'krab-add-shared-'));
});
afterAll(async () => {
  await bot.close();
  await rm(stateDir, { recursive: true, force: true });
});

const shellEnv = (extra: Record<string, string> = {}) => ({
  KRABKRAB_STATE_DIR: stateDir,
  TELEGRAM_API_ROOT: bot.origin,
  ...extra,
});
const secretFile = () => join(stateDir, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN');

/** What the control method answers for the same values. */
async function controlAnswer(token: string): Promise<string> {
  const ctx = createTestContext({ env: { TELEGRAM_API_ROOT: bot.origin } });
  const error = await setupChannel(ctx, 'telegram', { token }).then(
    () => undefined,
    (e: Error) => e,
  );
  if (error) expect(ctx.persisted).toEqual([]);
  return error?.message ?? 'accepted';
}

describe('channels add telegram and channels.setup: one implementation', () => {
  it('refuses spaces, line breaks, over 10 KB and a rejected token exactly as the control method does; nothing stored', async () => {
    const cases = [
      { token: '123456:abc def', code: 2 },
      { token: '123456:abc\ndef', code: 2 },
      { token: 'x'.repeat(10 * 1024 + 1), code: 2 },
      { token: '999999:not-the-token-abcdefghijklmnopqrstuv', code: 1 },
      { token: 'not-a-token', code: 1 },
    ];
    for (const { token, code } of cases) {
      const expected = await controlAnswer(token);
      expect(expected).not.toBe('accepted');
      const result = await cli(['channels', 'add', 'telegram', '--token', token], shellEnv());
      expect(result.code, token.slice(0, 40)).toBe(code);
      expect(result.stderr).toBe(`krabkrab channels: ${expected}\n`);
      if (token.length > 30) expect(result.stderr + result.stdout).not.toContain(token.slice(7, 30));
    }
    expect(existsSync(secretFile())).toBe(false);
    expect(existsSync(join(stateDir, 'krabkrab.json'))).toBe(false);
  });

  it('an empty token is a usage error naming the flag', async () => {
    for (const token of ['', '   ']) {
      const result = await cli(['channels', 'add', 'telegram', '--token', token], shellEnv());
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('pass --token');
    }
  });

  it('a token from the environment is checked and used where it is, not copied into the store', async () => {
    const result = await cli(['channels', 'add', 'telegram'], shellEnv({ TELEGRAM_BOT_TOKEN: bot.token }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('telegram: the credentials belong to @shared_setup_bot');
    expect(result.stdout).toContain('using TELEGRAM_BOT_TOKEN from the environment (nothing stored)');
    expect(existsSync(secretFile())).toBe(false);
    expect(JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).channels.telegram).toEqual({
      enabled: true,
    });
  });

  it('a good token is stored 0600 outside krabkrab.json, and the output never shows it', async () => {
    const result = await cli(['channels', 'add', 'telegram', '--token', ` ${bot.token} `], shellEnv());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`stored TELEGRAM_BOT_TOKEN in ${secretFile()} (mode 0600)`);
    expect(result.stdout).not.toContain(bot.token);
    expect(JSON.parse(readFileSync(secretFile(), 'utf8'))).toBe(bot.token);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).not.toContain(bot.token);
    // The same as over the control connection.
    expect(await controlAnswer(bot.token)).toBe('accepted');
  });
});
