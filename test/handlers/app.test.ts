import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { createTestContext, TEST_TOKEN } from '../helpers/context';

function appFor(phase: 'starting' | 'ready' | 'stopping' = 'ready') {
  const ctx = createTestContext({ phase });
  return createApp(ctx, { clientAddress: (_env, req) => req.headers.get('x-test-ip') ?? 'local' });
}

describe('HTTP app (plain fetch handler, no server)', () => {
  it('health answers without auth and reveals nothing else', async () => {
    for (const path of ['/health', '/healthz']) {
      const res = await appFor().request(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
  });

  it('ready is 503 while starting or stopping, 200 when ready', async () => {
    expect((await appFor('starting').request('/ready')).status).toBe(503);
    expect((await appFor('stopping').request('/readyz')).status).toBe(503);
    expect((await appFor('ready').request('/readyz')).status).toBe(200);
  });

  it('api/status needs the bearer token and never takes it from the URL', async () => {
    const app = appFor();
    expect((await app.request('/api/status')).status).toBe(401);
    expect((await app.request('/api/status', { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect((await app.request('/api/status', { headers: { authorization: 'Bearer ' } })).status).toBe(401);
    const viaQuery = await app.request(`/api/status?token=${TEST_TOKEN}`);
    expect(viaQuery.status).toBe(401);
    expect((await viaQuery.json()).error.message).toMatch(/not accepted/);
    const ok = await app.request('/api/status', { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['version', 'pid', 'uptimeMs', 'bind', 'port', 'stateDir', 'channels']),
    );
  });

  it('answers 429 with Retry-After after 10 failures from one address', async () => {
    const app = appFor();
    const from = (ip: string, token: string) =>
      app.request('/api/status', { headers: { authorization: `Bearer ${token}`, 'x-test-ip': ip } });
    for (let i = 0; i < 10; i++) expect((await from('1.2.3.4', 'bad')).status).toBe(401);
    const blocked = await from('1.2.3.4', TEST_TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('5.6.7.8', TEST_TOKEN)).status).toBe(200);
  });

  it('answers unknown routes with 404 JSON and oversized bodies with 413', async () => {
    const app = appFor();
    const missing = await app.request('/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    const big = await app.request('/api/status', {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
      headers: { 'content-length': String(1024 * 1024 + 1) },
    });
    expect(big.status).toBe(413);
  });
});
