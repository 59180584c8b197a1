/**
 * How `web_fetch` reaches the network. The core decides which addresses are allowed; the
 * transport connects to exactly the address that was checked, so a name cannot resolve to a
 * public address for the check and to a private one for the connection (DNS rebinding).
 */
export interface WebTransport {
  /** A host name's addresses (Node: the system resolver). Absent where the runtime cannot resolve (Workers). */
  resolve?(hostname: string): Promise<string[]>;
  /** One GET of `url`, connecting to `address` when given, never following redirects. */
  fetch(
    url: URL,
    init: { address?: string; headers: Record<string, string>; signal: AbortSignal },
  ): Promise<Response>;
}

/**
 * The transport where the runtime has no resolver (Workers): plain `fetch` without following
 * redirects. Only IP literals can be checked there; Workers' fetch does not reach private networks.
 */
export const fetchTransport: WebTransport = {
  fetch: (url, { headers, signal }) => fetch(url, { headers, signal, redirect: 'manual' }),
};
