import { randomToken } from '../../core/auth/token';
import type { Store } from '../../core/storage/store';

export const STORED_TOKEN_KEY = 'credentials:gateway-token';

export type TokenSource = 'flag' | 'env' | 'config' | 'stored' | 'generated';

/** `--token` > `krabkrab_GATEWAY_TOKEN` > `gateway.auth.token` in the config; undefined when none is set explicitly. */
export function explicitToken(
  flag?: string,
  env?: string,
  config?: string,
): { token: string; source: TokenSource } | undefined {
  if (flag) return { token: flag, source: 'flag' };
  if (env) return { token: env, source: 'env' };
  if (config) return { token: config, source: 'config' };
  return undefined;
}

/** The token kept in the state dir (0600) for loopback use, generated on first need. */
export async function storedToken(store: Store): Promise<{ token: string; source: TokenSource }> {
  const existing = await store.get<string>(STORED_TOKEN_KEY);
  if (typeof existing === 'string' && existing.length >= 16) return { token: existing, source: 'stored' };
  const token = randomToken();
  await store.set(STORED_TOKEN_KEY, token);
  return { token, source: 'generated' };
}
