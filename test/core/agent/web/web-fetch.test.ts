import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPinned, resolveHost } from '../../../../src/adapters/node/web-transport';
import { runToolCall } from '../../../../src/core/agent/run-tool';
import { FETCH_TIMEOUT_MS, webFetch } from '../../../../src/core/agent/tools/web-fetch';
import type { WebTransport } from '../../../../src/core/agent/web/transport';
import type { Clock } from '../../../../src/core/runtime/clock';
import { createManualClock, createTestContext } from '../../../helpers/context';

const PAGE = `<!doctype html><html><head><title>Krab news</title><style>.x{color:red}</style>
<script>window.secret = "script text"</script></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Krabs can fetch</h1>
<p>The gateway turns pages into <strong>readable Markdown</strong>, keeping the main content and dropping the rest.
This paragraph is long enough for Readability to treat the article as the main content of the page, which it is.</p>
<p>A second paragraph with a <a href="/more">relative link</a> that comes back absolute, and more words to read.</p>
</article><footer>footer text</footer></body></html>`;

let server: Server;
let port: number;
const seen: string[] = [];
let hugeClosed: Promise<number> | undefined;
/** A promise and its resolve. */
function signal() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
/** /stall's first bytes sent, and its connection closed by the client. */
let stalled: { started: ReturnType<typeof signal>; closed: ReturnType<typeof signal> } | undefined;

function endless(res: ServerResponse): Promise<number> {
  // "5 GB" announced and streamed until the client goes away; resolves with what was written.
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(5 * 1024 ** 3) });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  return new Promise((resolve) => {
    const pump = () => {
      while (!res.destroyed && written < 5 * 1024 ** 3) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.on('close', () => resolve(written));
    pump();
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/page')
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    if (req.url === '/text')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('just text');
    if (req.url === '/json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
    if (req.url === '/png')
      return void res
        .writeHead(200, { 'content-type': 'image/png' })
        .end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
    if (req.url === '/stall') {
      // Headers and a first line, then nothing: a server that never finishes its answer.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first line\n');
      const seen = stalled;
      res.on('close', () => seen?.closed.resolve());
      seen?.started.resolve();
      return;
    }
    if (req.url === '/huge') {
      hugeClosed = endless(res);
      return;
    }
    if (req.url === '/to-local')
      return void res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    if (req.url?.startsWith('/loop/')) {
      const n = Number(req.url.slice(6));
      return void res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    }
    if (req.url === '/redirect-once') return void res.writeHead(301, { location: '/text' }).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nodeTransport: WebTransport = { resolve: resolveHost, fetch: fetchPinned };

async function call(
  args: Record<string, unknown>,
  options: { allowPrivate?: boolean; web?: WebTransport; clock?: Clock } = {},
) {
  const ctx = createTestContext({
    config: { tools: { web: { fetch: { allowPrivateNetwork: options.allowPrivate ?? false } } } },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const outcome = await runToolCall(
    { id: 'c1', name: 'web_fetch', arguments: JSON.stringify(args) },
    new Map([['web_fetch', webFetch]]),
    {
      ctx,
      agentId: 'main',
      sessionKey: 'agent:main:main',
      trust: 'guest',
      web: options.web ?? nodeTransport,
    },
  );
  return outcome;
}

describe('web_fetch (allowPrivateNetwork, against a fake on 127.0.0.1)', () => {
  it('turns HTML into Markdown: title and main content, scripts and styles dropped', async () => {
    const { content, isError } = await call({ url: `http://127.0.0.1:${port}/page` }, { allowPrivate: true });
    expect(isError).toBe(false);
    expect(content).toMatch(/^<untrusted source="web_fetch http:\/\/127\.0\.0\.1:\d+\/page">/);
    expect(content).toContain('Title: Krab news');
    expect(content).toContain('**readable Markdown**');
    expect(content).toContain(`[relative link](http://127.0.0.1:${port}/more)`);
    expect(content).not.toContain('script text');
    expect(content).not.toContain('color:red');
  });

  it('returns other text types as text, follows a redirect and refuses binary', async () => {
    expect((await call({ url: `http://127.0.0.1:${port}/json` }, { allowPrivate: true })).content).toContain(
      '{"a":1}',
    );
    const redirected = await call({ url: `http://127.0.0.1:${port}/redirect-once` }, { allowPrivate: true });
    expect(redirected.content).toContain(`URL: http://127.0.0.1:${port}/text`);
    expect(redirected.content).toContain('just text');
    const png = await call({ url: `http://127.0.0.1:${port}/png` }, { allowPrivate: true });
    expect(png).toMatchObject({ isError: true });
    expect(png.content).toContain('image/png, not text');
  });

  it('reads 2 MiB of a 5 GB body, then closes the connection', async () => {
    const { content, isError } = await call(
      { url: `http://127.0.0.1:${port}/huge`, maxChars: 500 },
      { allowPrivate: true },
    );
    expect(isError).toBe(false);
    expect(content).toContain('only the first 2 MiB of the body were read');
    expect(content).toContain('cut at 500 of 2097152 characters');
    const written = await hugeClosed!;
    // The server stopped once the client went away: far less than 5 GB went out (socket buffers only).
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up after 20 s in all (manual clock) and closes the connection of an answer that never ends', async () => {
    const clock = createManualClock(0);
    stalled = { started: signal(), closed: signal() };
    const pending = call({ url: `http://127.0.0.1:${port}/stall` }, { allowPrivate: true, clock });
    await stalled.started.promise;
    let settled = false;
    void pending.then(() => (settled = true));
    clock.advance(FETCH_TIMEOUT_MS - 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    clock.advance(1);
    const { content, isError } = await pending;
    expect(isError).toBe(true);
    expect(content).toBe(`error: no complete answer from 127.0.0.1:${port} within 20 s`);
    await stalled.closed.promise;
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops after 5 redirects and refuses file: URLs', async () => {
    const loop = await call({ url: `http://127.0.0.1:${port}/loop/0` }, { allowPrivate: true });
    expect(loop.content).toContain('more than 5 redirects');
    const file = await call({ url: 'file:///etc/passwd' }, { allowPrivate: true });
    expect(file).toMatchObject({
      isError: true,
      content: 'error: only http and https URLs are fetched, not file:',
    });
  });
});

describe('web_fetch SSRF guard', () => {
  it.each([
    ['http://127.0.0.1:{port}/api/status', '127.0.0.1 is a loopback address'],
    ['http://169.254.169.254/', '169.254.169.254 is a link-local (cloud metadata) address'],
    ['http://[::ffff:127.0.0.1]/', 'loopback, in an IPv6 form'],
    ['http://[::1]:{port}/', 'loopback'],
    ['http://0x7f000001:{port}/', '127.0.0.1 is a loopback address'],
    ['http://[fdaa::3]/', 'unique local'],
    ['http://localhost:{port}/', 'resolves to'],
  ])('refuses %s', async (url, why) => {
    const before = seen.length;
    const outcome = await call({ url: url.replace('{port}', String(port)) });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toContain(why);
    expect(outcome.content).toContain('tools.web.fetch.allowPrivateNetwork');
    expect(seen.length).toBe(before);
  });

  it('refuses a public-looking name that resolves to 10.0.0.1, and one with any private answer', async () => {
    const resolver = (answers: string[]): WebTransport => ({
      resolve: async () => answers,
      fetch: () => Promise.reject(new Error('must not connect')),
    });
    const one = await call({ url: 'http://news.example.com/' }, { web: resolver(['10.0.0.1']) });
    expect(one.content).toContain('news.example.com resolves to 10.0.0.1, a private (RFC 1918) address');
    const mixed = await call(
      { url: 'http://news.example.com/' },
      { web: resolver(['93.184.216.34', '192.168.0.7']) },
    );
    expect(mixed.content).toContain('resolves to 192.168.0.7');
  });

  it('checks every redirect: an allowed host redirecting to 127.0.0.1 is refused before connecting', async () => {
    const connected: string[] = [];
    // allowed.example resolves to a public address; the test routes that address to the local fake.
    const web: WebTransport = {
      resolve: async (host) => (host === 'allowed.example' ? ['93.184.216.34'] : resolveHost(host)),
      fetch: (url, init) => {
        connected.push(`${url.href} via ${init.address}`);
        return fetchPinned(new URL(`http://127.0.0.1:${port}${url.pathname}`), {
          ...init,
          address: '127.0.0.1',
        });
      },
    };
    const outcome = await call({ url: 'http://allowed.example/to-local' }, { web });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toContain('127.0.0.1 is a loopback address');
    expect(connected).toEqual(['http://allowed.example/to-local via 93.184.216.34']);
    expect(seen).not.toContain('/secret');
  });

  it('connects to the address that was checked, not to what DNS says later', async () => {
    // No DNS knows this name: the request can only arrive because the socket used the pinned address.
    const response = await fetchPinned(new URL(`http://pinned.invalid:${port}/text`), {
      address: '127.0.0.1',
      headers: {},
      signal: new AbortController().signal,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('just text');
  });
});
