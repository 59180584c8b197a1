import type { request as httpRequest, IncomingMessage } from 'node:http';

/** Discord's JSON answers are small; anything larger than this is cut off as an error, not buffered. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The part of a fetch `Response` that @discordjs/rest reads (its `ResponseLike`). */
export interface MinimalResponse {
  status: number;
  statusText: string;
  ok: boolean;
  bodyUsed: boolean;
  body: null;
  headers: { get(name: string): string | null; has(name: string): boolean };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * `makeRequest` for @discordjs/rest on Node over `node:http(s)`, which the gateway has loaded
 * anyway. Node's `fetch` (and the undici copy in @discordjs/rest's Node build) costs 10-25 MiB
 * of idle memory on first use, more than the whole Discord channel otherwise: on a 256 MB
 * machine that matters (SPEC R11). Rate limits stay @discordjs/rest's: this only moves bytes.
 */
export async function nodeMakeRequest(url: string, init: RequestInit): Promise<MinimalResponse> {
  const body = init.body;
  if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError('discord REST over node:http sends JSON bodies only (no file uploads)');
  }
  const target = new URL(url);
  // node:https (and TLS) only once a request needs it: the CLI and a Discord-less gateway never load it.
  const send: typeof httpRequest = (await import(target.protocol === 'https:' ? 'node:https' : 'node:http'))
    .request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: init.method ?? 'GET',
        headers: init.headers as Record<string, string>,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => collect(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

function collect(res: IncomingMessage): Promise<MinimalResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES)
        res.destroy(new Error(`discord response larger than ${MAX_RESPONSE_BYTES} bytes`));
      else chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const status = res.statusCode ?? 0;
      const header = (name: string) => res.headers[name.toLowerCase()];
      resolve({
        status,
        statusText: res.statusMessage ?? '',
        ok: status >= 200 && status < 300,
        bodyUsed: false,
        body: null,
        headers: {
          get(name) {
            const value = header(name);
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
          },
          has: (name) => header(name) !== undefined,
        },
        text: async () => bytes.toString('utf8'),
        json: async () => JSON.parse(bytes.toString('utf8')),
        arrayBuffer: async () =>
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      });
    });
  });
}
