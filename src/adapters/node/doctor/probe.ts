import type { CheckLevel } from './types';

export interface ProbeOutcome {
  level: CheckLevel;
  /** `accepted`, `rejected (HTTP 401)`, `unreachable (...)`. Never contains the credential. */
  text: string;
  body?: unknown;
}

/**
 * One authenticated GET for `--deep`: 2xx is accepted, 401/403 is a rejected credential (error),
 * anything else (429, 5xx, network) could not be checked (warning). The URL is never printed,
 * because Telegram puts the token in it.
 */
export async function probe(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  let response: Response;
  try {
    response = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause =
      (error as Error).name === 'TimeoutError'
        ? `no answer in ${timeoutMs / 1000} s`
        : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
    return { level: 'warn', text: `could not be checked: unreachable (${cause})` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { level: 'ok', text: 'accepted', body };
  if (response.status === 401 || response.status === 403)
    return { level: 'error', text: `rejected (HTTP ${response.status})` };
  if (response.status === 429) return { level: 'ok', text: 'accepted (rate limited right now, HTTP 429)' };
  return { level: 'warn', text: `could not be checked (HTTP ${response.status})` };
}

/** `base` without trailing slashes, then `path`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
