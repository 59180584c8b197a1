import type { KrabConfig } from '../config/schema';
import { createAnthropicCompatible } from './anthropic';
import { PROVIDERS } from './index';
import { createOpenAICompatible } from './openai-compatible';
import { envPrefix, PRESETS, type ProviderApi } from './presets';
import type { ProviderDef } from './types';

type ProvidersConfig = NonNullable<NonNullable<KrabConfig['models']>['providers']>;
type ProviderEntry = ProvidersConfig[string];

interface EndpointSpec {
  id: string;
  api: ProviderApi;
  baseUrl: string;
  keyless: boolean;
  apiKeyEnv?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/** A provider for an endpoint: keys from `<ID>_API_KEY(S)` (or `apiKeyEnv`), base URL from `<ID>_BASE_URL`. */
export function endpointProvider(spec: EndpointSpec): ProviderDef {
  const prefix = envPrefix(spec.id);
  const common = {
    id: spec.id,
    keyEnv: [spec.apiKeyEnv ?? `${prefix}_API_KEY`],
    keysEnv: [`${prefix}_API_KEYS`],
    baseUrlEnv: `${prefix}_BASE_URL`,
    defaultBaseUrl: spec.baseUrl,
    ...(spec.keyless ? { keyless: true } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
  };
  // Most compatible servers (OpenRouter, Groq, vLLM, Ollama...) take `max_tokens`, not OpenAI's newer field.
  return spec.api === 'anthropic'
    ? createAnthropicCompatible(common)
    : createOpenAICompatible({ ...common, maxTokensField: 'max_tokens' });
}

let presetDefs: Record<string, ProviderDef> | undefined;
const byConfig = new WeakMap<ProvidersConfig, Record<string, ProviderDef>>();
const NONE: ProvidersConfig = {};

/** Needs its own provider object: a custom endpoint, or a preset whose key env, API or headers the config changes. */
function needsOwnDef(id: string, entry: ProviderEntry): boolean {
  if (Object.hasOwn(PROVIDERS, id)) return false;
  return !Object.hasOwn(PRESETS, id) || Boolean(entry.api || entry.apiKeyEnv || entry.headers);
}

/**
 * Every provider a model ref may name: the built-ins, the presets, and the config's own
 * `models.providers.<id>` endpoints. Kept per config object, so the SDK clients of a provider
 * survive until the config changes.
 */
export function providerTable(
  config: KrabConfig,
  base: Record<string, ProviderDef> = PROVIDERS,
): Record<string, ProviderDef> {
  presetDefs ??= Object.fromEntries(
    Object.entries(PRESETS).map(([id, preset]) => [
      id,
      endpointProvider({ id, api: preset.api, baseUrl: preset.baseUrl, keyless: preset.keyless === true }),
    ]),
  );
  const configured = config.models?.providers ?? NONE;
  const standard = base === PROVIDERS;
  const cached = standard ? byConfig.get(configured) : undefined;
  if (cached) return cached;
  // Built-ins first (error messages list them first), and a preset never shadows one.
  const table: Record<string, ProviderDef> = { ...base, ...presetDefs, ...base };
  for (const [id, entry] of Object.entries(configured)) {
    if (Object.hasOwn(base, id) || !needsOwnDef(id, entry)) continue;
    const preset = Object.hasOwn(PRESETS, id) ? PRESETS[id] : undefined;
    const baseUrl = entry.baseUrl ?? preset?.baseUrl;
    const api = entry.api ?? preset?.api;
    if (!baseUrl || !api) continue; // the config schema refuses this; a test router's table may not
    table[id] = endpointProvider({
      id,
      api,
      baseUrl,
      // A custom endpoint without any key setting is a local server.
      keyless: preset ? preset.keyless === true : !entry.apiKey && !entry.apiKeyEnv,
      apiKeyEnv: entry.apiKeyEnv,
      headers: entry.headers,
    });
  }
  if (standard) byConfig.set(configured, table);
  return table;
}
