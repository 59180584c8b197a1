import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { WebTransport } from '../../core/agent/web/transport';

/** The system resolver, every address (the core refuses the name if any one is private). */
export async function resolveHost(hostname: string): Promise<string[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}

/**
 * One GET over node:http(s) whose connection goes to `address`, the one the core checked: the
 * socket's lookup answers with it instead of asking DNS again. TLS still verifies the host name.
 */
export const fetchPinned: WebTransport['fetch'] = (url, { address, headers, signal }) =>
  new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const pinned: LookupFunction | undefined = address
      ? (_host, options, callback) => {
          const family = address.includes(':') ? 6 : 4;
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: unknown[]) => void)(null, [{ address, family }]);
          else callback(null, address, family);
        }
      : undefined;
    const req = request(
      url,
      { method: 'GET', headers, signal, ...(pinned ? { lookup: pinned } : {}) },
      (res) => resolve(toResponse(res)),
    );
    req.on('error', reject);
    req.end();
  });

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 304 || status < 200;
  if (empty) res.resume();
  // Cancelling the web stream destroys the message and with it the socket: a huge body stops flowing.
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status: status < 200 ? 502 : status, headers });
}
