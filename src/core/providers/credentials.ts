import type { KrabConfig } from '../config/schema';
import { type EnvRecord, envVar } from '../env';
import type { ProviderDef } from './types';

/** One API key of one provider, as the router rotates through them. */
export interface Credential {
  provider: string;
  /** Where the key came from, for logs and status: a profile (`anthropic:default`) or an env var (`ANTHROPIC_API_KEYS#2`). */
  label: string;
  /** `anthropic:<8 hex of sha-256 of the key>`: stable across restarts, safe to store and show. */
  id: string;
  apiKey: string;
  baseUrl: string;
}

interface Profile {
  name: string;
  key: string | undefined;
  baseUrl: string | undefined;
}

/** The provider's `auth.profiles` entries, `auth.order.<provider>` first. */
function profilesOf(providerId: string, config: KrabConfig): Profile[] {
  const entries = Object.entries(config.auth?.profiles ?? {}).filter(
    ([, profile]) => profile.provider === providerId,
  );
  const order = config.auth?.order?.[providerId] ?? [];
  entries.sort(([a], [b]) => rank(order, a) - rank(order, b));
  return entries.map(([name, profile]) => ({
    name,
    key: profile.apiKey ?? profile.token,
    baseUrl: profile.baseUrl,
  }));
}

function rank(order: string[], name: string): number {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}

/** Keys from env: every `*_API_KEYS` list, then each single `*_API_KEY`, duplicates dropped. */
function envKeys(def: ProviderDef, env: EnvRecord): Array<{ key: string; label: string }> {
  const found: Array<{ key: string; label: string }> = [];
  for (const name of def.keysEnv) {
    const parts = (envVar(env, name) ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    for (const [index, key] of parts.entries()) found.push({ key, label: `${name}#${index + 1}` });
  }
  for (const name of def.keyEnv) {
    const key = envVar(env, name)?.trim();
    if (key) found.push({ key, label: name });
  }
  return found;
}

/**
 * The keys of one provider in rotation order. Env wins over config: when any env key is set,
 * only env keys are used (each labelled with the matching profile's name, if there is one);
 * otherwise the keys written in `auth.profiles` and `models.providers.<id>.apiKey`.
 * When neither has one, the key stored by `krabkrab secrets set <NAME>` (`stored`, see `resolveSecret`);
 * a keyless provider (a local server) then gets one empty key, so its requests go out without one.
 * Base URL: `<PROVIDER>_BASE_URL`, else the profile's, else `models.providers.<id>.baseUrl`, else the default.
 */
export async function resolveCredentials(
  def: ProviderDef,
  config: KrabConfig,
  env: EnvRecord,
  fingerprint: (key: string) => Promise<string>,
  stored?: (name: string) => Promise<string | undefined>,
): Promise<Credential[]> {
  const profiles = profilesOf(def.id, config);
  const providerConfig = config.models?.providers?.[def.id];
  const fromEnv = envKeys(def, env);
  const candidates: Array<{ key: string; label: string; baseUrl?: string | undefined }> =
    fromEnv.length > 0
      ? fromEnv.map((entry, index) => ({
          key: entry.key,
          label: profiles[index]?.name ?? entry.label,
          baseUrl: profiles[index]?.baseUrl,
        }))
      : [
          ...profiles.flatMap((profile) =>
            profile.key ? [{ key: profile.key, label: profile.name, baseUrl: profile.baseUrl }] : [],
          ),
          ...(providerConfig?.apiKey
            ? [{ key: providerConfig.apiKey, label: `models.providers.${def.id}` }]
            : []),
        ];
  for (const name of candidates.length === 0 && stored ? def.keyEnv : []) {
    const key = await stored?.(name);
    if (key) candidates.push({ key, label: `stored ${name}` });
  }
  if (candidates.length === 0 && def.keyless) candidates.push({ key: '', label: 'no key' });
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => !seen.has(candidate.key) && seen.add(candidate.key));
  return Promise.all(
    unique.map(async (candidate) => ({
      provider: def.id,
      label: candidate.label,
      id: `${def.id}:${await fingerprint(candidate.key)}`,
      apiKey: candidate.key,
      baseUrl: providerBaseUrl(def, config, env, candidate.baseUrl),
    })),
  );
}

/**
 * A provider's API base as requests use it (doctor's `--deep` probe too): `<PROVIDER>_BASE_URL`,
 * else the key's profile's, else `models.providers.<id>.baseUrl`, else the provider's default.
 */
export function providerBaseUrl(
  def: Pick<ProviderDef, 'id' | 'baseUrlEnv' | 'defaultBaseUrl'>,
  config: KrabConfig,
  env: EnvRecord,
  profileBaseUrl?: string,
): string {
  return (
    envVar(env, def.baseUrlEnv) ??
    profileBaseUrl ??
    config.models?.providers?.[def.id]?.baseUrl ??
    def.defaultBaseUrl
  );
}

/** The first 8 hex digits of the key's SHA-256: identifies a key in the store without revealing it. */
export async function keyFingerprint(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest).slice(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `provider/model` split at the first slash; undefined when it is not of that shape. */
export function parseModelRef(ref: string): { provider: string; model: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) return undefined;
  return { provider: ref.slice(0, slash).toLowerCase(), model: ref.slice(slash + 1) };
}
