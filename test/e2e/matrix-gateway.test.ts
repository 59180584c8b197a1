import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, type Target } from '../helpers/targets';
import { ControlClient } from '../helpers/ws-client';

const TOKEN = 'matrix-token-0123456789abcdef';
const LISTED_ORIGIN = 'https://ui.example';

// @hono/node-server writes a refused upgrade's status and headers but not its body, so the
// status is what both runtimes can be compared on.
const FORBIDDEN = 'upgrade refused: 403';

/**
 * The control WebSocket's guard, one table for both runtimes: Node's app and the Workers
 * Durable Object must refuse and accept exactly the same upgrades (src/handlers/ws-control.ts).
 */
const ORIGIN_CASES: Array<{
  name: string;
  path: string;
  origin: (target: Target) => string | undefined;
  refused?: string;
}> = [
  { name: 'a foreign Origin on /', path: '/', origin: () => 'https://evil.example', refused: FORBIDDEN },
  { name: 'a foreign Origin on /ws', path: '/ws', origin: () => 'https://evil.example', refused: FORBIDDEN },
  { name: 'a sandboxed page (Origin: null)', path: '/ws', origin: () => 'null', refused: FORBIDDEN },
  {
    name: 'a look-alike host',
    path: '/ws',
    origin: (t) => `http://${new URL(t.url).hostname}.evil.example:${new URL(t.url).port}`,
    refused: FORBIDDEN,
  },
  { name: 'no Origin (the CLI)', path: '/ws', origin: () => undefined },
  { name: "the gateway's own Origin", path: '/', origin: (t) => t.url },
  { name: 'an Origin in gateway.allowedOrigins', path: '/ws', origin: () => LISTED_ORIGIN },
];

/** After the upgrade, the `connect` handshake: what each bad first frame gets, then close 1008. */
const HANDSHAKE_CASES: Array<{ name: string; method: string; params: unknown; code: string }> = [
  {
    name: 'a wrong token',
    method: 'connect',
    params: { protocol: 1, auth: { token: 'nope' } },
    code: 'UNAUTHORIZED',
  },
  {
    name: 'an empty token',
    method: 'connect',
    params: { protocol: 1, auth: { token: '' } },
    code: 'INVALID_PARAMS',
  },
  {
    name: 'another protocol version',
    method: 'connect',
    params: { protocol: 2, auth: { token: TOKEN } },
    code: 'INVALID_PARAMS',
  },
  { name: 'a method before connect', method: 'status', params: {}, code: 'UNAUTHORIZED' },
];

describe.each(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)('gateway routes on %s', (runtime) => {
  let target: Target;
  beforeAll(async () => {
    target = await TARGETS[runtime]({
      env: { krabkrab_GATEWAY_TOKEN: TOKEN },
      config: { gateway: { mode: 'local', allowedOrigins: [LISTED_ORIGIN] } },
    });
  }, 60_000);
  afterAll(() => target?.stop());

  it('health and ready answer without auth', async () => {
    for (const path of ['/health', '/healthz', '/ready', '/readyz']) {
      const res = await fetch(`${target.url}${path}`);
      expect(res.status).toBe(200);
      expect((await res.json()).ok).toBe(true);
    }
  });

  it('api/status needs the bearer token', async () => {
    expect((await fetch(`${target.url}/api/status`)).status).toBe(401);
    expect(
      (await fetch(`${target.url}/api/status`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    const ok = await fetch(`${target.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).runtime).toBe(runtime);
  });

  it('speaks the same control protocol: handshake, methods, bad frames, wrong token', async () => {
    const client = await ControlClient.connect(target.wsUrl, TOKEN);
    const status = await client.request('status');
    expect(status.payload.runtime).toBe(runtime);
    client.sendRaw('not json');
    await client.waitFor((f) => f.error?.code === 'BAD_REQUEST');
    expect((await client.request('no.such')).error?.code).toBe('METHOD_NOT_FOUND');
    client.close();

    const intruder = await ControlClient.open(target.wsUrl);
    await intruder.waitFor((f) => f.event === 'connect.challenge');
    expect((await intruder.request('connect', { protocol: 1, auth: { token: 'nope' } })).error?.code).toBe(
      'UNAUTHORIZED',
    );
    expect((await intruder.waitClosed()).code).toBe(1008);
  });

  it('serves the Control UI with its security headers', async () => {
    const page = await fetch(`${target.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    const script = /src="\/ui\/([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${target.url}/ui/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each(ORIGIN_CASES)('control upgrade with $name', async ({ path, origin, refused }) => {
    const headers: Record<string, string> = {};
    const value = origin(target);
    if (value !== undefined) headers.origin = value;
    const opening = ControlClient.open(`${target.wsUrl}${path}`, headers);
    if (refused) return expect(opening).rejects.toThrow(refused);
    const client = await opening;
    await client.waitFor((f) => f.event === 'connect.challenge');
    expect((await client.request('connect', { protocol: 1, auth: { token: TOKEN } })).ok).toBe(true);
    client.close();
  });

  it.each(HANDSHAKE_CASES)(
    'connect handshake refuses $name and closes 1008',
    async ({ method, params, code }) => {
      const client = await ControlClient.open(`${target.wsUrl}/ws`);
      await client.waitFor((f) => f.event === 'connect.challenge');
      expect((await client.request(method, params)).error?.code).toBe(code);
      expect((await client.waitClosed()).code).toBe(1008);
    },
  );
  // Last: the server closes the connection after a 413, which a pooled client socket may trip over.
  it('unknown routes 404 JSON, oversized bodies 413', async () => {
    const missing = await fetch(`${target.url}/no/such/route`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    const big = await fetch(`${target.url}/api/status`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
  });
});

describe('the Worker with a bad KRABKRAB_CONFIG', () => {
  it('answers 500 on every route instead of crash-looping', async () => {
    const target = await TARGETS.workers({
      env: { krabkrab_GATEWAY_TOKEN: TOKEN, KRABKRAB_CONFIG: '{"gatway":{}}' },
    });
    try {
      for (const path of ['/health', '/api/status']) {
        const res = await fetch(`${target.url}${path}`);
        expect(res.status).toBe(500);
        expect((await res.json()).error.code).toBe('INVALID_CONFIG');
      }
    } finally {
      await target.stop();
    }
  });
});
