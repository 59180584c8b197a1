import { GatewayError } from '../../errors';
import { blockedAddressReason, isIpLiteral } from './address';
import type { WebTransport } from './transport';

export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface GuardedFetchOptions {
  transport: WebTransport;
  /** `tools.web.fetch.allowPrivateNetwork`: the address checks are off. */
  allowPrivateNetwork: boolean;
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** An http(s) URL from the model, or a clear error. */
export function parseFetchUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new GatewayError('BAD_REQUEST', `not a URL: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new GatewayError('BAD_REQUEST', `only http and https URLs are fetched, not ${url.protocol}`);
  if (url.username || url.password)
    throw new GatewayError('BAD_REQUEST', 'URLs with credentials are not fetched');
  return url;
}

/**
 * GET with the SSRF guard: every hop (redirects included) is checked before it is connected to,
 * at most MAX_REDIRECTS redirects. Returns the final response (not a redirect) and its URL.
 */
export async function guardedFetch(
  start: URL,
  options: GuardedFetchOptions,
): Promise<{ response: Response; url: URL; redirects: number }> {
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const address = options.allowPrivateNetwork ? undefined : await checkedAddress(url, options.transport);
    const response = await options.transport.fetch(url, {
      ...(address ? { address } : {}),
      headers: options.headers,
      signal: options.signal,
    });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || !location) return { response, url, redirects };
    await response.body?.cancel().catch(() => {});
    if (redirects >= MAX_REDIRECTS)
      throw new GatewayError(
        'BAD_REQUEST',
        `more than ${MAX_REDIRECTS} redirects (last to ${location.slice(0, 200)})`,
      );
    url = parseFetchUrl(location, url);
  }
}

/** The address to connect to for this URL, after the checks; a refusal names the host and why. */
async function checkedAddress(url: URL, transport: WebTransport): Promise<string | undefined> {
  const host = url.hostname;
  if (isIpLiteral(host)) {
    const reason = blockedAddressReason(host);
    if (reason) throw refused(`${host} is a ${reason} address`);
    return host.replace(/^\[|\]$/g, '');
  }
  if (!transport.resolve) {
    // No resolver here: names that always mean this machine are still refused.
    if (host === 'localhost' || host.endsWith('.localhost')) throw refused(`${host} is this machine`);
    return undefined;
  }
  let addresses: string[];
  try {
    addresses = await transport.resolve(host);
  } catch (error) {
    throw new GatewayError('BAD_REQUEST', `could not resolve ${host}`, { cause: error });
  }
  if (addresses.length === 0) throw new GatewayError('BAD_REQUEST', `could not resolve ${host}`);
  // Every address must be public: a name answering with one public and one private address is refused.
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) throw refused(`${host} resolves to ${address}, a ${reason} address`);
  }
  return addresses[0];
}

function refused(why: string): GatewayError {
  return new GatewayError(
    'FORBIDDEN',
    `refused: ${why}; web_fetch reaches public addresses only (tools.web.fetch.allowPrivateNetwork turns this off)`,
  );
}
