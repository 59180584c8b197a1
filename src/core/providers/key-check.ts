import type { GatewayContext } from '../context';
import { envVar } from '../env';
import { PRESETS } from './presets';
import { providerTable } from './table';

export type KeyCheck = { ok: true; provider?: string } | { ok: false; error: string };

/**
 * One cheap authenticated call (list models) with a provider key before it is stored, through the
 * base URL the router would use (`<ID>_BASE_URL` or the default). A key no provider reads is not
 * checked. The key never appears in the answer.
 */
export async function checkProviderKey(
  ctx: Pick<GatewayContext, 'config' | 'env'>,
  keyName: string,
  key: string,
  fetchFn: typeof fetch = fetch,
): Promise<KeyCheck> {
  const config = ctx.config();
  const def = Object.values(providerTable(config)).find((entry) => entry.keyEnv.includes(keyName));
  if (!def) return { ok: true };
  const base = (envVar(ctx.env, def.baseUrlEnv) ?? def.defaultBaseUrl).replace(/\/+$/, '');
  const api = config.models?.providers?.[def.id]?.api ?? PRESETS[def.id]?.api;
  const anthropic = def.id === 'anthropic' || api === 'anthropic';
  const request: { url: string; headers: Record<string, string> } = anthropic
    ? {
        url: `${base.replace(/\/v1$/, '')}/v1/models?limit=1`,
        headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      }
    : { url: `${base}/models`, headers: { authorization: `Bearer ${key}` } };
  let res: Response;
  try {
    res = await fetchFn(request.url, { headers: { ...def.headers, ...request.headers } });
  } catch (error) {
    return { ok: false, error: `${def.id} could not be reached (${(error as Error).message})` };
  }
  await res.body?.cancel().catch(() => {});
  if (res.ok || res.status === 429) return { ok: true, provider: def.id };
  if (res.status === 401 || res.status === 403)
    return { ok: false, error: `${def.id} rejected the key (HTTP ${res.status})` };
  return { ok: false, error: `${def.id} answered HTTP ${res.status}; the key could not be checked` };
}
