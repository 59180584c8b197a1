/** Keeps this many SDK clients (one per key and base URL) so connections are reused. */
const MAX_CLIENTS = 16;

/**
 * A small cache of SDK clients built on first use. The factory does the SDK's dynamic import,
 * so a provider that is never called never loads its SDK.
 */
export function lazyClients<T>(create: (apiKey: string, baseUrl: string) => Promise<T>): {
  get(apiKey: string, baseUrl: string): Promise<T>;
} {
  const cache = new Map<string, Promise<T>>();
  return {
    get(apiKey, baseUrl) {
      const id = `${baseUrl}\n${apiKey}`;
      let client = cache.get(id);
      if (client) {
        cache.delete(id);
      } else {
        client = create(apiKey, baseUrl);
        client.catch(() => cache.delete(id));
      }
      cache.set(id, client);
      if (cache.size > MAX_CLIENTS) cache.delete(cache.keys().next().value as string);
      return client;
    },
  };
}

/** The runtime's own fetch, looked up per call (Workers reject a detached `fetch`). */
export const webFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
  fetch(input, init);

/** The SDKs log parse failures to the console; the router reports them as one readable line instead. */
export const SILENT_LOGGER = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What both SDKs are built with: the router owns retries and failover, the runtime's fetch, no
 * console logging, and no SDK timeout (the router's idle timeout applies instead).
 */
export const SDK_CLIENT_OPTIONS = {
  maxRetries: 0,
  fetch: webFetch,
  logger: SILENT_LOGGER,
  timeout: 3_600_000,
};
