import { describe, expect, it } from 'vitest';
import { openControlConnection } from '../../../src/core/protocol/connection';
import { CONNECT_TIMEOUT_MS, MAX_FRAME_BYTES } from '../../../src/core/protocol/frames';
import { createManualClock, createTestContext, TEST_TOKEN } from '../../helpers/context';

function harness(address = '10.0.0.1') {
  const clock = createManualClock();
  const ctx = createTestContext({ clock });
  const sent: any[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const connection = openControlConnection(
    ctx,
    { send: (text) => sent.push(JSON.parse(text)), close: (code, reason) => closes.push({ code, reason }) },
    { address },
  );
  const request = (id: string, method: string, params?: unknown) =>
    connection.onMessage(JSON.stringify({ type: 'req', id, method, params }));
  const response = async (id: string) => {
    // Up to 2 s: the first answer after connect waits for the methods table to load (under vitest,
    // transforming its modules on first import takes well over 100 ms on a busy machine).
    for (let i = 0; i < 1000 && !sent.some((f) => f.id === id); i++)
      await new Promise((r) => setTimeout(r, 2));
    return sent.find((f) => f.type === 'res' && f.id === id);
  };
  const connect = async (token = TEST_TOKEN) => {
    request('c', 'connect', { protocol: 1, auth: { token }, client: { name: 'unit' } });
    return response('c');
  };
  return { ctx, clock, sent, closes, connection, request, response, connect };
}

describe('control connection', () => {
  it('sends a challenge, then answers connect with hello-ok and the methods', async () => {
    const h = harness();
    expect(h.sent[0]).toMatchObject({ type: 'event', event: 'connect.challenge', seq: 1 });
    expect(typeof h.sent[0].payload.nonce).toBe('string');
    const res = await h.connect();
    expect(res).toMatchObject({ ok: true, payload: { type: 'hello-ok', protocol: 1 } });
    expect(res.payload.methods).toEqual(
      expect.arrayContaining(['health', 'status', 'config.get', 'config.validate', 'config.apply']),
    );
  });

  it('rejects a wrong token with UNAUTHORIZED and closes with 1008', async () => {
    const h = harness();
    const res = await h.connect('wrong');
    expect(res.error.code).toBe('UNAUTHORIZED');
    expect(h.closes).toEqual([{ code: 1008, reason: 'unauthorized' }]);
  });

  it('closes a socket that does not connect within 10 s', () => {
    const h = harness();
    h.clock.advance(CONNECT_TIMEOUT_MS - 1);
    expect(h.closes).toEqual([]);
    h.clock.advance(1);
    expect(h.closes).toEqual([{ code: 1008, reason: 'connect timeout' }]);
  });

  it('requires connect before any other method', async () => {
    const h = harness();
    h.request('x', 'status');
    expect((await h.response('x')).error.code).toBe('UNAUTHORIZED');
    expect(h.closes[0]?.code).toBe(1008);
  });

  it('answers bad frames with error frames and keeps serving', async () => {
    const h = harness();
    await h.connect();
    h.connection.onMessage('not json');
    h.connection.onMessage(JSON.stringify({ type: 'req', id: 'a' }));
    h.request('b', 'no.such.method');
    h.request('c2', 'config.validate', { config: 'not an object' });
    h.connection.onMessage('x'.repeat(MAX_FRAME_BYTES + 1));
    h.request('d', 'health');
    // Method errors come once the methods table is loaded (on the first connection), frame errors at once.
    await Promise.all([h.response('b'), h.response('c2')]);
    const errors = h.sent.filter((f) => f.type === 'res' && !f.ok).map((f) => [f.id, f.error.code]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [null, 'BAD_REQUEST'],
        ['a', 'BAD_REQUEST'],
        ['b', 'METHOD_NOT_FOUND'],
        ['c2', 'INVALID_PARAMS'],
        [null, 'PAYLOAD_TOO_LARGE'],
      ]),
    );
    expect((await h.response('d')).payload).toEqual({ ok: true, phase: 'ready' });
    expect(h.closes).toEqual([]);
  });

  it('throttles an address after 10 failed logins within a minute', async () => {
    const clock = createManualClock();
    const ctx = createTestContext({ clock });
    const attempt = async (token: string) => {
      const sent: any[] = [];
      const c = openControlConnection(
        ctx,
        { send: (t) => sent.push(JSON.parse(t)), close: () => {} },
        { address: '10.9.9.9' },
      );
      c.onMessage(
        JSON.stringify({ type: 'req', id: 1, method: 'connect', params: { protocol: 1, auth: { token } } }),
      );
      for (let i = 0; i < 50 && !sent.some((f) => f.type === 'res'); i++)
        await new Promise((r) => setTimeout(r, 2));
      return sent.find((f) => f.type === 'res');
    };
    for (let i = 0; i < 10; i++) expect((await attempt('bad')).error.code).toBe('UNAUTHORIZED');
    const blocked = await attempt(TEST_TOKEN);
    expect(blocked.error.code).toBe('RATE_LIMITED');
    expect(blocked.error.message).toMatch(/too many failed attempts/);
    clock.advance(60_001);
    expect((await attempt(TEST_TOKEN)).ok).toBe(true);
  });

  it('pushes server events and log lines to an authenticated connection, with increasing seq', async () => {
    const h = harness();
    await h.connect();
    h.ctx.events.emit('channel.status', { id: 'x', state: 'connected' });
    h.ctx.log.info('hello from the test');
    const events = h.sent.filter((f) => f.type === 'event');
    expect(events.map((f) => f.event)).toEqual(['connect.challenge', 'channel.status', 'log']);
    expect(events.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(events[2].payload.line).toBe('[gateway] hello from the test');
  });

  it('config.get redacts secrets; config.apply keeps a redacted secret and rejects a bad config by path', async () => {
    const clock = createManualClock();
    const ctx = createTestContext({
      clock,
      config: { gateway: { mode: 'local', auth: { token: 'config-secret-token' } } },
    });
    const sent: any[] = [];
    const c = openControlConnection(
      ctx,
      { send: (t) => sent.push(JSON.parse(t)), close: () => {} },
      { address: 'a' },
    );
    const call = async (id: string, method: string, params?: unknown) => {
      c.onMessage(JSON.stringify({ type: 'req', id, method, params }));
      for (let i = 0; i < 100 && !sent.some((f) => f.id === id); i++)
        await new Promise((r) => setTimeout(r, 2));
      return sent.find((f) => f.id === id);
    };
    await call('c', 'connect', { protocol: 1, auth: { token: TEST_TOKEN } });
    const got = await call('g', 'config.get');
    expect(got.payload.config.gateway.auth.token).toBe('__redacted__');
    expect(JSON.stringify(got)).not.toContain('config-secret-token');

    const bad = await call('b', 'config.apply', {
      config: { ...got.payload.config, gateway: { ...got.payload.config.gateway, bnid: 'lan' } },
    });
    expect(bad.error.code).toBe('INVALID_CONFIG');
    expect(bad.error.details.problems).toEqual([
      { path: 'gateway.bnid', message: 'unknown key (did you mean bind?)' },
    ]);
    expect(ctx.persisted).toEqual([]);

    const edited = structuredClone(got.payload.config);
    edited.gateway.bind = 'lan';
    const good = await call('a', 'config.apply', { config: edited });
    expect(good.ok).toBe(true);
    expect(ctx.persisted[0]).toMatchObject({
      gateway: { bind: 'lan', auth: { token: 'config-secret-token' } },
    });
    expect(ctx.config().gateway?.bind).toBe('lan');

    // The schema the Config view's form is built from: secrets are writeOnly, nothing else is.
    const schema = (await call('s', 'config.schema')).payload.schema;
    expect(schema.properties.channels.properties.telegram.properties.botToken).toMatchObject({
      type: 'string',
      writeOnly: true,
    });
    expect(schema.properties.gateway.properties.auth.properties.token.writeOnly).toBe(true);
    expect(schema.properties.gateway.properties.bind.writeOnly).toBeUndefined();
  });

  it('config.apply refuses a secret that merely contains a ${VAR}; config.get masks one already stored', async () => {
    const ctx = createTestContext({
      config: { gateway: { mode: 'local' }, channels: { discord: { token: '999:STORED${HOME}' } } },
      env: { HOME: '/home/owner' },
    });
    const sent: any[] = [];
    const c = openControlConnection(
      ctx,
      { send: (t) => sent.push(JSON.parse(t)), close: () => {} },
      { address: 'a' },
    );
    const call = async (id: string, method: string, params?: unknown) => {
      c.onMessage(JSON.stringify({ type: 'req', id, method, params }));
      for (let i = 0; i < 100 && !sent.some((f) => f.id === id); i++)
        await new Promise((r) => setTimeout(r, 2));
      return sent.find((f) => f.id === id);
    };
    await call('c', 'connect', { protocol: 1, auth: { token: TEST_TOKEN } });
    const got = await call('g', 'config.get');
    expect(got.payload.config.channels.discord.token).toBe('__redacted__');
    expect(JSON.stringify(got)).not.toContain('STORED');

    const edited = structuredClone(got.payload.config);
    edited.channels.telegram = { botToken: '123:ABCDEF${HOME}' };
    const refused = await call('a', 'config.apply', { config: edited });
    expect(refused.error.code).toBe('INVALID_CONFIG');
    expect(refused.error.details.problems).toEqual([
      { path: 'channels.telegram.botToken', message: expect.stringMatching(/TELEGRAM_BOT_TOKEN/) },
    ]);
    expect(JSON.stringify(refused)).not.toContain('ABCDEF');

    // A top-level __proto__ is reported by path, not silently dropped by the params schema.
    c.onMessage(
      `{"type":"req","id":"p","method":"config.apply","params":{"config":{"__proto__":{"gateway":{"bind":"lan"}},"gateway":{"mode":"local"}}}}`,
    );
    for (let i = 0; i < 100 && !sent.some((f) => f.id === 'p'); i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(sent.find((f) => f.id === 'p').error.details.problems).toEqual([
      { path: '__proto__', message: expect.stringMatching(/not allowed as a config key/) },
    ]);
    expect(ctx.persisted).toEqual([]);
  });
});
