import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelsCheck } from '../../../../src/adapters/node/doctor/check-channels';
import { providersCheck } from '../../../../src/adapters/node/doctor/check-providers';
import { createNodeStore } from '../../../../src/adapters/node/node-store';
import { credentialKey } from '../../../../src/core/secrets';
import { cleanupCases, doctorCase, levels } from './doctor-case';
import { type FakeApis, GOOD, startFakeApis } from './fake-apis';

let fake: FakeApis;
beforeAll(async () => {
  fake = await startFakeApis();
});
afterAll(() => fake.close());
afterEach(cleanupCases);

const anthropicModel = {
  agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } } },
};

describe('doctor: provider keys', () => {
  it('warns when no model is configured, and when a provider a model names has no key', async () => {
    expect(
      (await doctorCase({ config: { gateway: { mode: 'local' } } }).run(providersCheck))[0],
    ).toMatchObject({ level: 'warn', message: expect.stringMatching(/no model configured/) });
    expect((await doctorCase().run(providersCheck))[0]?.level).toBe('warn');
    const results = await doctorCase({
      config: anthropicModel,
      env: { ANTHROPIC_API_KEY: GOOD.anthropic },
    }).run(providersCheck);
    expect(results.map((r) => `${r.level} ${r.message}`)).toEqual([
      'ok anthropic: API key present (env ANTHROPIC_API_KEY)',
      'warn openai: no API key',
    ]);
    expect(results[1]?.fix).toMatch(/OPENAI_API_KEY.*krabkrab secrets set OPENAI_API_KEY/);
  });

  it('reads rotated key lists and names a provider the router does not know', async () => {
    const config = {
      agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['nope/large'] } } },
    };
    const results = await doctorCase({
      config,
      env: { ANTHROPIC_API_KEYS: `${GOOD.anthropic},second-key-000000` },
    }).run(providersCheck);
    expect(results.map((r) => `${r.level} ${r.message}`)).toEqual([
      'ok anthropic: API key present (env ANTHROPIC_API_KEYS)',
      expect.stringMatching(
        /^warn nope: no such model provider \(known: anthropic, openai, google, openrouter, /,
      ),
    ]);
    expect(results[1]?.fix).toMatch(/models\.providers\.nope/);
  });

  it('finds a key stored with secrets set, and one in auth.profiles', async () => {
    const c = doctorCase({
      config: {
        ...anthropicModel,
        auth: {
          profiles: {
            'openai:default': { mode: 'api-key', provider: 'openai', apiKey: '${OPENAI_KEY_VAR}' },
          },
        },
      },
      env: { OPENAI_KEY_VAR: GOOD.openai },
    });
    const store = createNodeStore(c.stateDir);
    await store.set(credentialKey('ANTHROPIC_API_KEY'), GOOD.anthropic);
    await store.dispose();
    expect((await c.run(providersCheck)).map((r) => r.message)).toEqual([
      'anthropic: API key present (stored ANTHROPIC_API_KEY)',
      'openai: API key present (config)',
    ]);
  });

  it('--deep: one cheap call per provider through the configured base URL; a rejected key is an error', async () => {
    const config = {
      agents: {
        defaults: {
          model: {
            primary: 'anthropic/claude-opus-4-5',
            fallbacks: ['openai/gpt-4o', 'google/gemini-2.5-pro'],
          },
        },
      },
      models: { providers: { openai: { baseUrl: `${fake.origin}/v1` } } },
    };
    const env = { ANTHROPIC_BASE_URL: fake.origin, GOOGLE_BASE_URL: `${fake.origin}/v1beta` };
    fake.requests.length = 0;
    const good = await doctorCase({
      deep: true,
      config,
      env: {
        ...env,
        ANTHROPIC_API_KEY: GOOD.anthropic,
        OPENAI_API_KEY: GOOD.openai,
        GEMINI_API_KEY: GOOD.google,
      },
    }).run(providersCheck);
    expect(levels(good)).toEqual(['ok', 'ok', 'ok']);
    expect(good[0]?.message).toBe(`anthropic: API key accepted by ${fake.origin}`);
    expect(fake.requests.map((r) => r.line).sort()).toEqual([
      'GET /v1/models',
      'GET /v1/models',
      'GET /v1beta/models',
    ]);

    const bad = await doctorCase({
      deep: true,
      config,
      env: {
        ...env,
        ANTHROPIC_API_KEY: 'sk-ant-wrong-000000',
        OPENAI_API_KEY: GOOD.openai,
        GEMINI_API_KEY: 'wrong-google-key',
      },
    }).run(providersCheck);
    expect(bad.map((r) => `${r.level} ${r.message}`)).toEqual([
      `error anthropic: API key rejected (HTTP 401) by ${fake.origin}`,
      `ok openai: API key accepted by ${fake.origin}`,
      `error google: API key rejected (HTTP 403) by ${fake.origin}`,
    ]);
    expect(JSON.stringify(bad)).not.toContain('wrong');
  });

  it('presets and custom endpoints: key names from the table, keyless local servers, --deep probes each', async () => {
    const config = {
      agents: { defaults: { model: { primary: 'groq/llama-3.3-70b', fallbacks: ['ollama/llama3.2'] } } },
      models: {
        providers: { lab: { api: 'openai-chat', baseUrl: `${fake.origin}/v1`, apiKeyEnv: 'LAB_TOKEN' } },
      },
    };
    const missing = await doctorCase({ config }).run(providersCheck);
    expect(missing.map((r) => `${r.level} ${r.message}`)).toEqual([
      'warn groq: no API key',
      'ok ollama: no API key needed',
      'warn lab: no API key',
    ]);
    expect(missing[0]?.fix).toMatch(/set GROQ_API_KEY .*krabkrab secrets set GROQ_API_KEY/);
    expect(missing[2]?.fix).toMatch(/set LAB_TOKEN/);
    fake.requests.length = 0;
    const deep = await doctorCase({
      deep: true,
      config: { ...config, agents: { defaults: { model: 'groq/llama-3.3-70b' } } },
      env: { GROQ_API_KEY: GOOD.openai, GROQ_BASE_URL: `${fake.origin}/v1`, LAB_TOKEN: 'wrong-lab-token' },
    }).run(providersCheck);
    expect(deep.map((r) => `${r.level} ${r.message}`)).toEqual([
      `ok groq: API key accepted by ${fake.origin}`,
      `error lab: API key rejected (HTTP 401) by ${fake.origin}`,
    ]);
    expect(fake.requests.map((r) => r.line)).toEqual(['GET /v1/models', 'GET /v1/models']);
  });

  it('--deep: an unreachable or failing provider is a warning, not an error', async () => {
    const config = { agents: { defaults: { model: 'anthropic/claude-opus-4-5' } } };
    const down = await doctorCase({
      deep: true,
      config,
      env: { ANTHROPIC_API_KEY: GOOD.anthropic, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    }).run(providersCheck);
    expect(down[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/could not be checked: unreachable/),
    });
    const broken = await doctorCase({
      deep: true,
      config,
      env: { ANTHROPIC_API_KEY: GOOD.anthropic, ANTHROPIC_BASE_URL: `${fake.origin}/broken` },
    }).run(providersCheck);
    expect(broken[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/HTTP 500/) });
  });
});

describe('doctor: channel tokens', () => {
  it('warns when no channel is configured, and when an enabled channel has no token', async () => {
    expect((await doctorCase({ config: {} }).run(channelsCheck))[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/no channel configured/),
    });
    const results = await doctorCase({
      config: { channels: { telegram: { enabled: true }, discord: { enabled: false } } },
    }).run(channelsCheck);
    expect(results).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'telegram: enabled but no bot token',
        fix: expect.stringMatching(/TELEGRAM_BOT_TOKEN/),
      }),
    ]);
    const present = await doctorCase({
      config: { channels: { telegram: {}, discord: {} } },
      env: { TELEGRAM_BOT_TOKEN: GOOD.telegram, DISCORD_BOT_TOKEN: GOOD.discord },
    }).run(channelsCheck);
    expect(present.map((r) => r.message).sort()).toEqual([
      'discord: bot token present (env DISCORD_BOT_TOKEN)',
      'telegram: bot token present (env TELEGRAM_BOT_TOKEN)',
    ]);
  });

  it('--deep: getMe and /users/@me log in with a good token and are refused with a bad one', async () => {
    const config = { channels: { telegram: {}, discord: { token: '${MY_DISCORD}' } } };
    const apis = { TELEGRAM_API_ROOT: fake.origin, DISCORD_API_BASE: `${fake.origin}/api` };
    fake.requests.length = 0;
    const good = await doctorCase({
      deep: true,
      config,
      env: { ...apis, TELEGRAM_BOT_TOKEN: GOOD.telegram, MY_DISCORD: GOOD.discord },
    }).run(channelsCheck);
    expect(good.map((r) => `${r.level} ${r.message}`).sort()).toEqual([
      'ok discord: bot token (config) accepted: logged in as Krab',
      'ok telegram: bot token (env TELEGRAM_BOT_TOKEN) accepted: logged in as @krab_bot',
    ]);
    expect(fake.requests.map((r) => r.line).sort()).toEqual([
      'GET /api/v10/users/@me',
      'GET /bot<token>/getMe',
    ]);
    const bad = await doctorCase({
      deep: true,
      config,
      env: { ...apis, TELEGRAM_BOT_TOKEN: '1:bad-telegram-token', MY_DISCORD: 'bad-discord-token' },
    }).run(channelsCheck);
    expect(levels(bad)).toEqual(['error', 'error']);
    expect(bad.every((r) => /rejected \(HTTP 401\)/.test(r.message))).toBe(true);
    expect(JSON.stringify(bad)).not.toMatch(/bad-(telegram|discord)-token/);
  });
});
