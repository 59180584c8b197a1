import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botPermissions } from '../../../../src/core/channels/discord/invite';
import { type FakeDiscord, startFakeDiscord } from '../../../fakes/discord';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from '../cli/run-in-process';

let fake: FakeDiscord;
const dirs: string[] = [];
beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: '880000000000000001', publicKey: 'ab'.repeat(32) });
});
afterAll(async () => {
  await fake.close();
  for (const dir of dirs) removeDir(dir);
});

function env(extra: Record<string, string> = {}) {
  const stateDir = tempStateDir('krab-discord-cli-');
  dirs.push(stateDir);
  return {
    stateDir,
    env: { PATH: process.env.PATH, krabkrab_STATE_DIR: stateDir, DISCORD_API_BASE: fake.apiBase, ...extra },
  };
}

describe('krabkrab channels add discord', () => {
  it('checks the token, stores it 0600 outside krabkrab.json, enables the channel and prints the invite URL', async () => {
    const { stateDir, env: e } = env();
    const result = await cli(['channels', 'add', 'discord', '--token', fake.token], e);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the token belongs to krabbot (application 880000000000000001)');
    const invite = /https:\/\/discord\.com\/oauth2\/authorize\?\S+/.exec(result.stdout)?.[0];
    const url = new URL(invite!);
    expect(url.searchParams.get('client_id')).toBe('880000000000000001');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe(botPermissions());
    expect(BigInt(botPermissions()) & (1n << 11n)).toBe(1n << 11n);
    expect(fake.calls('GET', '/users/@me').at(-1)?.authorization).toBe(`Bot ${fake.token}`);

    const file = join(stateDir, 'credentials', 'secrets', 'DISCORD_BOT_TOKEN');
    expect(readFileSync(file, 'utf8')).toContain(fake.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const configText = readFileSync(join(stateDir, 'krabkrab.json'), 'utf8');
    expect(configText).not.toContain(fake.token);
    expect(JSON.parse(configText).channels.discord).toEqual({
      enabled: true,
      applicationId: '880000000000000001',
      publicKey: 'ab'.repeat(32),
    });
  });

  it('keeps an existing config and its guild allowlist', async () => {
    const { stateDir, env: e } = env();
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      JSON.stringify({
        channels: { discord: { groupPolicy: 'allowlist', guilds: { '1': { requireMention: true } } } },
      }),
    );
    expect((await cli(['channels', 'add', 'discord', '--token', fake.token], e)).code).toBe(0);
    const discord = JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).channels.discord;
    expect(discord.guilds).toEqual({ '1': { requireMention: true } });
    expect(discord.enabled).toBe(true);
  });

  it('a token discord rejects is reported, nothing stored', async () => {
    const { stateDir, env: e } = env();
    const wrong = 'OTAwMDAwMDAwMDAwMDAwMDAx.GwRong.this-is-not-the-right-token-at-all';
    const result = await cli(['channels', 'add', 'discord', '--token', wrong], e);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Discord did not accept it: Discord rejected the bot token (HTTP 401)');
    expect(result.stderr).not.toContain(wrong);
    expect(() => statSync(join(stateDir, 'credentials', 'secrets', 'DISCORD_BOT_TOKEN'))).toThrow();
  });

  it('something that is not a bot token is refused before Discord is asked', async () => {
    const before = fake.calls('GET', '/users/@me').length;
    const result = await cli(['channels', 'add', 'discord', '--token', 'ab'.repeat(32)], env().env);
    expect(result.code).toBe(1);
    expect(fake.calls('GET', '/users/@me').length).toBe(before);
    expect(result.stderr).toContain('does not look like a bot token');
  });

  it('warns when the Message Content intent is off', async () => {
    fake.rest.applicationFlags = 0;
    try {
      const result = await cli(['channels', 'add', 'discord', '--token', fake.token], env().env);
      expect(result.stdout).toContain('the Message Content intent is off');
    } finally {
      fake.rest.applicationFlags = 1 << 19;
    }
  });
});

describe('krabkrab channels discord register-commands', () => {
  it('registers /ask with the stored token and prints the endpoint to set', async () => {
    const { env: e } = env({ FLY_APP_NAME: 'my-krabkrab' });
    expect((await cli(['channels', 'add', 'discord', '--token', fake.token], e)).code).toBe(0);
    const result = await cli(['channels', 'discord', 'register-commands'], e);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('registered /ask for application 880000000000000001');
    expect(result.stdout).toContain('https://my-krabkrab.fly.dev/discord/interactions');
    const [put] = fake.calls('PUT', '/applications/880000000000000001/commands');
    expect(put?.authorization).toBe(`Bot ${fake.token}`);
    expect(put?.body).toEqual([
      {
        name: 'ask',
        description: 'Ask the assistant',
        type: 1,
        options: [{ type: 3, name: 'prompt', description: 'What to ask', required: true, max_length: 4000 }],
      },
    ]);
  });

  it('without any token it says where to put one', async () => {
    const result = await cli(['channels', 'discord', 'register-commands'], env().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no bot token');
  });
});
