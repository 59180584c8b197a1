import type { WebTransport } from '../../core/agent/web/transport';

type TransportModule = typeof import('./web-transport');

/** `web_fetch`'s transport on Node; its module (dns, https) loads on the first fetch, not at start. */
export function createNodeWebTransport(): WebTransport {
  let loaded: Promise<TransportModule> | undefined;
  const load = () => (loaded ??= import('./web-transport'));
  return {
    resolve: async (hostname) => (await load()).resolveHost(hostname),
    fetch: async (url, init) => (await load()).fetchPinned(url, init),
  };
}
