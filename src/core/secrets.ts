import { type EnvRecord, envVar } from './env';
import type { SecretRedactor } from './log/redact';
import type { Store } from './storage/store';

/** Where `secrets set` keeps a secret: `$STATE_DIR/credentials/secrets/<NAME>`, mode 0600. */
export function credentialKey(name: string): string {
  return `credentials:secrets:${name}`;
}

/** The env var a provider's key is read from (`anthropic` -> `ANTHROPIC_API_KEY`). */
export function providerKeyName(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

export type SecretSource = 'env' | 'config' | 'stored';

export interface SecretLookup {
  env: EnvRecord;
  store: Pick<Store, 'get'>;
  /** When given, a stored secret is added to the log redactor as soon as it is read. */
  logs?: { redactor: Pick<SecretRedactor, 'add'> };
}

/**
 * A secret by name: env (`ANTHROPIC_API_KEY`) > the config's value (already `${VAR}`-substituted)
 * > the one stored by `krabkrab secrets set`. Never logs it. A `GatewayContext` fits `ctx`.
 */
export async function resolveSecret(
  ctx: SecretLookup,
  name: string,
  configValue?: string,
): Promise<string | undefined> {
  return (await resolveSecretWithSource(ctx, name, configValue))?.value;
}

/** Like `resolveSecret`, saying where the value came from (for `doctor` and status, never the value itself). */
export async function resolveSecretWithSource(
  ctx: SecretLookup,
  name: string,
  configValue?: string,
): Promise<{ value: string; source: SecretSource } | undefined> {
  const fromEnv = envVar(ctx.env, name);
  if (fromEnv) return { value: fromEnv.trim(), source: 'env' };
  if (configValue && configValue.trim() !== '') return { value: configValue.trim(), source: 'config' };
  const stored = await ctx.store.get<string>(credentialKey(name)).catch(() => null);
  if (typeof stored === 'string' && stored.trim() !== '') {
    ctx.logs?.redactor.add(stored.trim());
    return { value: stored.trim(), source: 'stored' };
  }
  return undefined;
}
