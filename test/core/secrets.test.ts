import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../src/core/log/redact';
import { keyFingerprint, resolveCredentials } from '../../src/core/providers/credentials';
import { PROVIDERS } from '../../src/core/providers/index';
import type { ProviderDef } from '../../src/core/providers/types';
import { secretNameForPath } from '../../src/core/secret-names';
import {
  credentialKey,
  providerKeyName,
  resolveSecret,
  resolveSecretWithSource,
} from '../../src/core/secrets';
import { createMemoryStore } from '../helpers/context';

describe('resolveSecret', () => {
  it('prefers env, then the config value, then the stored credential', async () => {
    const store = createMemoryStore();
    await store.set(credentialKey('ANTHROPIC_API_KEY'), 'stored-key-123');
    const env = { ANTHROPIC_API_KEY: 'env-key-123' };
    expect(await resolveSecretWithSource({ env, store }, 'ANTHROPIC_API_KEY', 'config-key-123')).toEqual({
      value: 'env-key-123',
      source: 'env',
    });
    expect(await resolveSecretWithSource({ env: {}, store }, 'ANTHROPIC_API_KEY', 'config-key-123')).toEqual({
      value: 'config-key-123',
      source: 'config',
    });
    expect(
      await resolveSecretWithSource({ env: { ANTHROPIC_API_KEY: ' ' }, store }, 'ANTHROPIC_API_KEY'),
    ).toEqual({ value: 'stored-key-123', source: 'stored' });
    expect(await resolveSecret({ env: {}, store }, 'OPENAI_API_KEY')).toBeUndefined();
  });

  it('adds a stored secret to the log redactor', async () => {
    const store = createMemoryStore();
    await store.set(credentialKey('TELEGRAM_BOT_TOKEN'), '123:stored-token');
    const redactor = new SecretRedactor();
    await resolveSecret({ env: {}, store, logs: { redactor } }, 'TELEGRAM_BOT_TOKEN');
    expect(redactor.redact('token 123:stored-token here')).toBe('token *** here');
  });

  it('names secrets by config path and provider', () => {
    expect(secretNameForPath('channels.telegram.botToken')).toBe('TELEGRAM_BOT_TOKEN');
    expect(secretNameForPath('channels.discord.token')).toBe('DISCORD_BOT_TOKEN');
    expect(secretNameForPath('gateway.port')).toBeUndefined();
    expect(providerKeyName('openai')).toBe('OPENAI_API_KEY');
  });
});

describe('stored provider keys reach the model router', () => {
  it('resolveCredentials falls back to the key stored by secrets set, after env and config', async () => {
    const store = createMemoryStore();
    await store.set(credentialKey('ANTHROPIC_API_KEY'), 'sk-ant-stored-0123');
    const stored = (name: string) => resolveSecret({ env: {}, store }, name);
    const none = await resolveCredentials(PROVIDERS.anthropic as ProviderDef, {}, {}, keyFingerprint);
    expect(none).toEqual([]);
    const fromStore = await resolveCredentials(
      PROVIDERS.anthropic as ProviderDef,
      {},
      {},
      keyFingerprint,
      stored,
    );
    expect(fromStore.map((c) => [c.apiKey, c.label])).toEqual([
      ['sk-ant-stored-0123', 'stored ANTHROPIC_API_KEY'],
    ]);
    const fromEnv = await resolveCredentials(
      PROVIDERS.anthropic as ProviderDef,
      {},
      { ANTHROPIC_API_KEY: 'sk-ant-env-0123' },
      keyFingerprint,
      stored,
    );
    expect(fromEnv.map((c) => c.apiKey)).toEqual(['sk-ant-env-0123']);
    const config = { models: { providers: { anthropic: { apiKey: 'sk-ant-config-0123' } } } };
    const fromConfig = await resolveCredentials(
      PROVIDERS.anthropic as ProviderDef,
      config,
      {},
      keyFingerprint,
      stored,
    );
    expect(fromConfig.map((c) => c.apiKey)).toEqual(['sk-ant-config-0123']);
  });
});
