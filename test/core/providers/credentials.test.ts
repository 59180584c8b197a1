import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import type { KrabConfig } from '../../../src/core/config/schema';
import { keyFingerprint, parseModelRef, resolveCredentials } from '../../../src/core/providers/credentials';
import { PROVIDERS } from '../../../src/core/providers/index';

function config(value: Record<string, unknown>): KrabConfig {
  const parsed = parseConfigValue(value, {});
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value.config;
}

const anthropic = PROVIDERS.anthropic!;
const google = PROVIDERS.google!;
const resolve = (def = anthropic, cfg: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  resolveCredentials(def, config(cfg), env, keyFingerprint);

describe('provider keys', () => {
  it('takes ANTHROPIC_API_KEYS then ANTHROPIC_API_KEY, labelled by the guide profile', async () => {
    const keys = await resolve(
      anthropic,
      { auth: { profiles: { 'anthropic:default': { mode: 'token', provider: 'anthropic' } } } },
      {
        ANTHROPIC_API_KEYS: 'sk-a1, sk-a2,',
        ANTHROPIC_API_KEY: 'sk-a3',
      },
    );
    expect(keys.map((k) => [k.label, k.apiKey])).toEqual([
      ['anthropic:default', 'sk-a1'],
      ['ANTHROPIC_API_KEYS#2', 'sk-a2'],
      ['ANTHROPIC_API_KEY', 'sk-a3'],
    ]);
    expect(keys[0]?.id).toMatch(/^anthropic:[0-9a-f]{8}$/);
    expect(keys[0]?.id).not.toContain('sk-a1');
    expect(keys[0]?.baseUrl).toBe('https://api.anthropic.com');
  });

  it('env wins over keys written in the config', async () => {
    const cfg = {
      auth: {
        profiles: { 'anthropic:work': { mode: 'api-key', provider: 'anthropic', apiKey: 'sk-config' } },
      },
      models: { providers: { anthropic: { apiKey: 'sk-models' } } },
    };
    expect((await resolve(anthropic, cfg, { ANTHROPIC_API_KEY: 'sk-env' })).map((k) => k.apiKey)).toEqual([
      'sk-env',
    ]);
    expect((await resolve(anthropic, cfg)).map((k) => [k.label, k.apiKey])).toEqual([
      ['anthropic:work', 'sk-config'],
      ['models.providers.anthropic', 'sk-models'],
    ]);
  });

  it('several profiles of one provider rotate, auth.order first, duplicates dropped', async () => {
    const keys = await resolve(anthropic, {
      auth: {
        profiles: {
          'anthropic:a': { mode: 'api-key', provider: 'anthropic', apiKey: 'sk-1' },
          'anthropic:b': { mode: 'api-key', provider: 'anthropic', apiKey: 'sk-2' },
          'anthropic:dup': { mode: 'api-key', provider: 'anthropic', apiKey: 'sk-2' },
          'openai:x': { mode: 'api-key', provider: 'openai', apiKey: 'sk-o' },
        },
        order: { anthropic: ['anthropic:b'] },
      },
    });
    expect(keys.map((k) => k.label)).toEqual(['anthropic:b', 'anthropic:a']);
  });

  it('no key anywhere gives an empty list', async () => {
    expect(
      await resolve(anthropic, {
        auth: { profiles: { 'anthropic:default': { mode: 'token', provider: 'anthropic' } } },
      }),
    ).toEqual([]);
  });

  it('accepts GEMINI_API_KEY as an alias of GOOGLE_API_KEY, and Gemini base URL by default', async () => {
    const keys = await resolve(google, {}, { GEMINI_API_KEY: 'gm-1' });
    expect(keys.map((k) => [k.label, k.baseUrl])).toEqual([
      ['GEMINI_API_KEY', 'https://generativelanguage.googleapis.com/v1beta/openai/'],
    ]);
  });

  it('base URL: env > profile > models.providers > default', async () => {
    const cfg = { models: { providers: { anthropic: { baseUrl: 'https://config.example/' } } } };
    expect((await resolve(anthropic, cfg, { ANTHROPIC_API_KEY: 'k1' }))[0]?.baseUrl).toBe(
      'https://config.example/',
    );
    expect(
      (
        await resolve(anthropic, cfg, { ANTHROPIC_API_KEY: 'k1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' })
      )[0]?.baseUrl,
    ).toBe('http://127.0.0.1:9');
    const withProfile = {
      ...cfg,
      auth: {
        profiles: {
          'anthropic:p': {
            mode: 'api-key',
            provider: 'anthropic',
            apiKey: 'k',
            baseUrl: 'https://profile.example',
          },
        },
      },
    };
    expect((await resolve(anthropic, withProfile))[0]?.baseUrl).toBe('https://profile.example');
  });

  it('parses model refs at the first slash', () => {
    expect(parseModelRef('anthropic/claude-opus-4-5')).toEqual({
      provider: 'anthropic',
      model: 'claude-opus-4-5',
    });
    expect(parseModelRef('openai/org/model')).toEqual({ provider: 'openai', model: 'org/model' });
    expect(parseModelRef('claude')).toBeUndefined();
    expect(parseModelRef('anthropic/')).toBeUndefined();
  });
});
