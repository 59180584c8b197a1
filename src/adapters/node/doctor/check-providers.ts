import { agentEntries, modelChain } from '../../../core/agent/agents-config';
import type { KrabConfig } from '../../../core/config/schema';
import { envVar } from '../../../core/env';
import { providerBaseUrl } from '../../../core/providers/credentials';
import { PRESETS } from '../../../core/providers/presets';
import { providerTable } from '../../../core/providers/table';
import { providerKeyName, resolveSecretWithSource } from '../../../core/secrets';
import { createNodeStore } from '../node-store';
import { joinUrl, probe } from './probe';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

const openAiStyle = (base: string, key: string) => ({
  url: joinUrl(base, '/models'),
  headers: key ? { authorization: `Bearer ${key}` } : ({} as Record<string, string>),
});

const anthropicStyle = (base: string, key: string) => ({
  url: joinUrl(base.replace(/\/v1\/?$/, ''), '/v1/models?limit=1'),
  headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
});

/**
 * The cheapest authenticated call per provider (list models); keys, base URLs and their env vars
 * come from the model router's own table, so doctor checks what the gateway would use.
 */
const PROBES: Record<
  string,
  (base: string, key: string) => { url: string; headers: Record<string, string> }
> = {
  anthropic: anthropicStyle,
  google: (base, key) =>
    /\/openai\/?$/.test(base)
      ? openAiStyle(base, key)
      : { url: joinUrl(base, '/models?pageSize=1'), headers: { 'x-goog-api-key': key } },
};

/** The providers the agents' models name (`anthropic/claude-opus-4-5` -> anthropic), primary and fallbacks, and those `models.providers` sets up. */
export function configuredProviders(config: KrabConfig): string[] {
  // The models each agent runs, as the gateway picks them (its own, else the defaults).
  const refs = agentEntries(config).flatMap((entry) => modelChain(config, entry));
  const named = refs.map((ref) => ref.split('/')[0]?.toLowerCase() ?? '');
  return [...new Set([...named, ...Object.keys(config.models?.providers ?? {})].filter(Boolean))];
}

/** Every provider a model refers to has a key (env > config > `krabkrab secrets set`); `--deep` tries each once. */
export const providersCheck: DoctorCheck = {
  name: 'providers',
  async run(input) {
    // A missing config is the minimal one: nothing configured yet. An invalid one is reported by the config check.
    if (input.config.ok === false) return [];
    const config: KrabConfig = input.config.ok === true ? input.config.value.config : {};
    const providers = configuredProviders(config);
    if (providers.length === 0) {
      return [
        {
          check: 'providers',
          level: 'warn',
          message: 'no model configured: agents cannot answer yet',
          fix: 'krabkrab config set agents.defaults.model.primary anthropic/claude-opus-4-5',
        },
      ];
    }
    const store = createNodeStore(input.stateDir);
    try {
      return (await Promise.all(providers.map((id) => checkProvider(input, config, id, store)))).flat();
    } finally {
      await store.dispose();
    }
  },
};

async function checkProvider(
  input: DoctorInput,
  config: KrabConfig,
  id: string,
  store: ReturnType<typeof createNodeStore>,
): Promise<CheckResult[]> {
  const table = providerTable(config);
  const def = Object.hasOwn(table, id) ? table[id] : undefined;
  const providerConfig = config.models?.providers?.[id];
  const profile = Object.values(config.auth?.profiles ?? {}).find(
    (p) => p.provider === id && (p.apiKey || p.token || p.baseUrl),
  );
  if (!def) {
    return [
      {
        check: 'providers',
        level: 'warn',
        message: `${id}: no such model provider (known: ${Object.keys(table).join(', ')})`,
        fix: `use a model ref like anthropic/claude-opus-4-5, or add models.providers.${id} ({api, baseUrl})`,
      },
    ];
  }
  const names = def.keyEnv;
  const keyName = names[0] ?? providerKeyName(id);
  const listEnv = def.keysEnv.find((name) => envVar(input.env, name));
  let found: { value: string; source: string } | undefined;
  if (listEnv)
    found = {
      value: (envVar(input.env, listEnv) ?? '').split(',')[0]?.trim() ?? '',
      source: `env ${listEnv}`,
    };
  for (const name of names) {
    if (found) break;
    const result = await resolveSecretWithSource(
      { env: input.env, store },
      name,
      profile?.apiKey ?? profile?.token ?? providerConfig?.apiKey,
    );
    if (result)
      found = {
        value: result.value,
        source: result.source === 'config' ? 'config' : `${result.source} ${name}`,
      };
  }
  if (!found && def.keyless) found = { value: '', source: 'none needed' };
  if (!found) {
    return [
      {
        check: 'providers',
        level: 'warn',
        message: `${id}: no API key`,
        fix: `set ${keyName} (fly secrets set ${keyName}=...) or krabkrab secrets set ${keyName}`,
      },
    ];
  }
  const present: CheckResult = {
    check: 'providers',
    level: 'ok',
    message: found.value ? `${id}: API key present (${found.source})` : `${id}: no API key needed`,
  };
  if (!input.deep) return [present];
  const base = providerBaseUrl(def, config, input.env, profile?.baseUrl);
  const api = providerConfig?.api ?? (Object.hasOwn(PRESETS, id) ? PRESETS[id]?.api : undefined);
  const style = PROBES[id] ?? (api === 'anthropic' ? anthropicStyle : openAiStyle);
  const { url, headers } = style(base, found.value);
  const outcome = await probe(input.fetch, url, { ...def.headers, ...headers }, input.timeoutMs);
  return [
    {
      check: 'providers',
      level: outcome.level,
      message: `${id}: ${found.value ? 'API key' : 'endpoint'} ${outcome.text} by ${new URL(url).origin}`,
      ...(outcome.level === 'error' ? { fix: `replace ${keyName} with a valid key` } : {}),
    },
  ];
}
