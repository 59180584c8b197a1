import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeOnlyParts } from '../../../../src/adapters/cloudflare/unavailable';
import { channelsCheck } from '../../../../src/adapters/node/doctor/check-channels';
import { CHANNELS, enabledChannels } from '../../../../src/core/channels/channels';
import type { KrabConfig } from '../../../../src/core/config/schema';
import { webhookPaths } from '../../../../src/core/tunnel/plan';
import { startFakeSlackApi } from '../../../fakes/slack-api';
import { cleanupCases, doctorCase } from './doctor-case';
import { type FakeApis, GOOD, startFakeApis } from './fake-apis';

let fake: FakeApis;
beforeAll(async () => {
  fake = await startFakeApis();
});
afterAll(() => fake.close());
afterEach(cleanupCases);

/** The configs and envs on which the layers used to disagree (issue 20). */
const CASES: Array<{ name: string; config: KrabConfig; env: Record<string, string>; running: string[] }> = [
  {
    name: 'only TELEGRAM_BOT_TOKEN',
    config: {},
    env: { TELEGRAM_BOT_TOKEN: GOOD.telegram },
    running: ['telegram'],
  },
  {
    name: 'only DISCORD_BOT_TOKEN',
    config: {},
    env: { DISCORD_BOT_TOKEN: GOOD.discord },
    running: ['discord'],
  },
  { name: 'a section without a token', config: { channels: { telegram: {} } }, env: {}, running: [] },
  {
    name: 'enabled: false beats a token',
    config: { channels: { telegram: { enabled: false } } },
    env: { TELEGRAM_BOT_TOKEN: GOOD.telegram },
    running: [],
  },
  {
    name: 'WhatsApp Cloud with id and token, Signal with an account',
    config: { channels: { whatsapp: { phoneNumberId: '123' }, signal: { account: '+15551234567' } } },
    env: { WHATSAPP_ACCESS_TOKEN: 'wa-token' },
    running: ['whatsapp', 'signal'],
  },
];

describe('CHANNELS: one decision whether a channel runs', () => {
  it.each(CASES)('doctor lists what the gateway runs: $name', async ({ config, env, running }) => {
    expect(enabledChannels(config, env).map((def) => def.id)).toEqual(running);
    const results = await doctorCase({ config, env }).run(channelsCheck);
    const reported = results.flatMap(
      (r) => /^(\w+): (bot token present|configured$)/.exec(r.message)?.[1] ?? [],
    );
    expect(reported.sort()).toEqual([...running].sort());
    if (running.length === 0) expect(results[0]?.message).toMatch(/no channel configured/);
  });

  it('regression: only TELEGRAM_BOT_TOKEN set, doctor no longer says no channel is configured', async () => {
    const results = await doctorCase({ config: {}, env: { TELEGRAM_BOT_TOKEN: GOOD.telegram } }).run(
      channelsCheck,
    );
    expect(results.map((r) => `${r.level} ${r.message}`)).toEqual([
      'ok telegram: bot token present (env TELEGRAM_BOT_TOKEN)',
    ]);
  });

  it('says when a written section does not run', async () => {
    const results = await doctorCase({
      config: { channels: { telegram: {}, discord: { enabled: true } } },
      env: { DISCORD_BOT_TOKEN: GOOD.discord },
    }).run(channelsCheck);
    expect(results.map((r) => `${r.level} ${r.message}`)).toEqual([
      'ok discord: bot token present (env DISCORD_BOT_TOKEN)',
      'warn telegram: configured but not running: no credentials found in env or config',
    ]);
  });

  it('Slack like the others: its bot token present, and --deep logs in with auth.test or says Slack refused it', async () => {
    const slack = await startFakeSlackApi();
    try {
      const env = { SLACK_API_BASE: slack.apiBase, SLACK_BOT_TOKEN: slack.botToken };
      const present = await doctorCase({ config: {}, env }).run(channelsCheck);
      expect(present.map((r) => `${r.level} ${r.message}`)).toEqual([
        'ok slack: bot token present (env SLACK_BOT_TOKEN)',
      ]);
      const good = await doctorCase({ deep: true, config: {}, env }).run(channelsCheck);
      expect(good.map((r) => `${r.level} ${r.message}`)).toEqual([
        'ok slack: bot token (env SLACK_BOT_TOKEN) accepted: logged in as krab',
      ]);
      expect(slack.callsOf('auth.test').map((c) => c.token)).toEqual([slack.botToken]);
      // Slack refuses a token with HTTP 200 and { ok: false }: still a rejected credential.
      const bad = await doctorCase({
        deep: true,
        config: { channels: { slack: { botToken: 'xoxb-revoked-token' } } },
        env: { SLACK_API_BASE: slack.apiBase },
      }).run(channelsCheck);
      expect(bad).toEqual([
        expect.objectContaining({
          level: 'error',
          message: 'slack: bot token (config) rejected (invalid_auth)',
          fix: expect.stringMatching(/SLACK_BOT_TOKEN/),
        }),
      ]);
      expect(JSON.stringify(bad)).not.toMatch(/revoked/);
    } finally {
      await slack.close();
    }
  });

  it('tunnel paths and the Worker list only what runs', () => {
    const config: KrabConfig = {
      channels: {
        telegram: { webhookUrl: 'https://krab.example.com' },
        whatsapp: { mode: 'web', enabled: true },
      },
    };
    expect(webhookPaths(config, {})).toEqual([]);
    expect(webhookPaths(config, { TELEGRAM_BOT_TOKEN: GOOD.telegram })).toEqual(['/telegram/webhook']);
    const ctx = (env: Record<string, string>) => ({ config: () => config, env });
    expect(nodeOnlyParts(ctx({})).map((p) => p.id)).toEqual(['whatsapp']);
    expect(nodeOnlyParts(ctx({ DISCORD_BOT_TOKEN: GOOD.discord })).map((p) => p.id)).toEqual([
      'discord',
      'whatsapp',
    ]);
  });
});

describe('CHANNELS: setup fields and validate (channels add, the Control UI)', () => {
  it('every channel declares its fields; secrets name their env var', () => {
    for (const def of Object.values(CHANNELS)) {
      expect(def.setup?.fields.length, def.id).toBeGreaterThan(0);
      for (const field of def.setup?.fields ?? []) {
        if (field.secret) expect(Object.keys(def.secrets), `${def.id}.${field.name}`).toContain(field.env);
        else
          expect(field.configPath, `${def.id}.${field.name}`).toMatch(new RegExp(`^channels\\.${def.id}\\.`));
      }
    }
  });

  it('Telegram getMe and Discord /users/@me accept a live token and refuse a bad one', async () => {
    const deps = {
      env: { TELEGRAM_API_ROOT: fake.origin, DISCORD_API_BASE: `${fake.origin}/api` },
      config: {},
    };
    expect(await CHANNELS.telegram.setup?.validate({ token: GOOD.telegram }, deps)).toEqual({
      ok: true,
      account: '@krab_bot',
    });
    expect(await CHANNELS.discord.setup?.validate({ token: GOOD.discord }, deps)).toMatchObject({
      ok: true,
      account: 'Krab',
    });
    const badTelegram = await CHANNELS.telegram.setup?.validate(
      { token: '111111:bad-telegram-token-0123456789abcdef' },
      deps,
    );
    expect(badTelegram).toMatchObject({ ok: false, error: expect.stringMatching(/rejected the bot token/) });
    const badDiscord = 'YmFkLWRpc2NvcmQtdG9rZW4.Gd0123.bad-discord-token-0123456789';
    expect(await CHANNELS.discord.setup?.validate({ token: badDiscord }, deps)).toEqual({
      ok: false,
      error: 'Discord rejected the bot token (HTTP 401)',
    });
    // Not a token's shape: refused before the platform is asked.
    expect(await CHANNELS.telegram.setup?.validate({ token: '1:bad' }, deps)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not look like a bot token/),
    });
    expect(await CHANNELS.discord.setup?.validate({ token: 'bad' }, deps)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not look like a bot token/),
    });
    expect(await CHANNELS.discord.setup?.validate({}, deps)).toMatchObject({ ok: false });
  });
});
