import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import { keyFingerprint, parseModelRef, resolveCredentials } from './credentials';
import { PROVIDERS } from './index';
import { providerTable } from './table';
import type { ModelsStatus, ProviderDef } from './types';

export interface ModelChain {
  agentId: string;
  refs: string[];
}

export interface ModelListing {
  ref: string;
  provider: string;
  model: string;
  /** Agents using it, with its place in their chain (`main: primary`, `ops: fallback 2`). */
  usedBy: Array<{ agentId: string; role: string }>;
  /** False when the provider is unknown or has no key. */
  available: boolean;
  problem?: string;
  keys: number;
  /** Keys of this model currently cooling down (profile labels). */
  cooling: string[];
}

export interface ProviderListing {
  id: string;
  /** Where each key came from (profile or env var name); never the key. */
  keys: string[];
  keyEnv: string;
  /** Without userinfo or query, which may carry credentials. */
  baseUrl: string;
}

/** What `models.list` answers: every model the agents use, and each provider's keys and base URL. */
export async function listModels(input: {
  config: KrabConfig;
  env: EnvRecord;
  chains: ModelChain[];
  status: ModelsStatus | undefined;
  providers?: Record<string, ProviderDef>;
  /** A key stored with `krabkrab secrets set` (as the router reads it). */
  stored?: (name: string) => Promise<string | undefined>;
}): Promise<{ models: ModelListing[]; providers: ProviderListing[] }> {
  const builtIns = input.providers ?? PROVIDERS;
  const providers = providerTable(input.config, builtIns);
  // The built-ins, plus the presets and endpoints the config or a model ref names.
  const named = new Set([
    ...Object.keys(builtIns),
    ...Object.keys(input.config.models?.providers ?? {}),
    ...input.chains.flatMap((chain) => chain.refs.map((ref) => parseModelRef(ref)?.provider ?? '')),
  ]);
  const listed: ProviderListing[] = [];
  const keyCount = new Map<string, number>();
  for (const def of Object.values(providers).filter((def) => named.has(def.id))) {
    const credentials = await resolveCredentials(def, input.config, input.env, keyFingerprint, input.stored);
    keyCount.set(def.id, credentials.length);
    listed.push({
      id: def.id,
      keys: credentials.map((c) => c.label),
      keyEnv: def.keyEnv[0] ?? '',
      baseUrl: originOf(credentials[0]?.baseUrl ?? def.defaultBaseUrl),
    });
  }
  const models = new Map<string, ModelListing>();
  for (const chain of input.chains) {
    for (const [index, ref] of chain.refs.entries()) {
      const role = index === 0 ? 'primary' : `fallback ${index}`;
      const existing = models.get(ref);
      if (existing) existing.usedBy.push({ agentId: chain.agentId, role });
      else
        models.set(ref, describe(ref, providers, keyCount, input.status, { agentId: chain.agentId, role }));
    }
  }
  return { models: [...models.values()], providers: listed };
}

function describe(
  ref: string,
  providers: Record<string, ProviderDef>,
  keyCount: Map<string, number>,
  status: ModelsStatus | undefined,
  use: { agentId: string; role: string },
): ModelListing {
  const parts = parseModelRef(ref);
  const def = parts ? providers[parts.provider] : undefined;
  const keys = def ? (keyCount.get(def.id) ?? 0) : 0;
  const problem = !parts
    ? 'not a "provider/model" ref'
    : !def
      ? `unknown provider "${parts.provider}"`
      : keys === 0
        ? `no API key: set ${def.keyEnv[0]}`
        : undefined;
  const cooling = (status?.cooldowns ?? [])
    .filter((c) => c.ref === ref || (def && c.ref === `${def.id}/*`))
    .map((c) => c.profile);
  return {
    ref,
    provider: parts?.provider ?? '',
    model: parts?.model ?? '',
    usedBy: [use],
    available: problem === undefined,
    ...(problem ? { problem } : {}),
    keys,
    cooling: [...new Set(cooling)],
  };
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}
