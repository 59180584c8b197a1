import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

const TOKEN = 'control-test-token-abcdef123456';
let gateway: GatewayProcess;
let ws: string;

beforeAll(async () => {
  gateway = await startGateway({ env: { krabkrab_GATEWAY_TOKEN: TOKEN } });
  ws = `ws://127.0.0.1:${gateway.port}`;
});
afterAll(async () => {
  await gateway.stop();
  removeDir(gateway.stateDir);
});

describe('the running gateway: HTTP', () => {
  it('serves health, ready and authenticated status on the one port', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/status`)).status).toBe(401);
    const status = await fetch(`${gateway.url}/api/status`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await status.json()).toMatchObject({
      pid: gateway.child.pid,
      port: gateway.port,
      bind: 'loopback',
      stateDir: gateway.stateDir,
    });
  });

  it('refuses an oversized streamed body with 413', async () => {
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= 5) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${gateway.url}/api/status`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { authorization: `Bearer ${TOKEN}` },
    } as RequestInit);
    expect(res.status).toBe(413);
    // The unread rest of the body spoils the connection: the client is told not to reuse it.
    expect(res.headers.get('connection')).toBe('close');
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});

describe('the running gateway: WebSocket control', () => {
  it('completes the handshake on / and /ws and answers methods', async () => {
    for (const path of ['/', '/ws']) {
      const client = await ControlClient.connect(`${ws}${path}`, TOKEN);
      const status = await client.request('status');
      expect(status.payload.pid).toBe(gateway.child.pid);
      client.close();
    }
  });

  it('answers a wrong token with UNAUTHORIZED and closes 1008', async () => {
    const client = await ControlClient.open(ws);
    await client.waitFor((f) => f.event === 'connect.challenge');
    const res = await client.request('connect', { protocol: 1, auth: { token: 'wrong' } });
    expect(res.error?.code).toBe('UNAUTHORIZED');
    expect((await client.waitClosed()).code).toBe(1008);
  });

  it('refuses an upgrade from another Origin with 403, accepts its own', async () => {
    await expect(ControlClient.open(ws, { origin: 'https://evil.example' })).rejects.toThrow('403');
    const own = await ControlClient.open(ws, { origin: `http://127.0.0.1:${gateway.port}` });
    own.close();
  });

  it('answers malformed and oversized frames with error frames, never a crash', async () => {
    const client = await ControlClient.connect(ws, TOKEN);
    client.sendRaw('{{{');
    client.sendRaw(JSON.stringify({ type: 'req', id: 'x', method: 'nope' }));
    client.sendRaw(JSON.stringify({ type: 'req', id: 'y', method: 'logs.tail', params: { limit: 'ten' } }));
    client.sendRaw(
      JSON.stringify({
        type: 'req',
        id: 'big',
        method: 'health',
        params: { pad: 'x'.repeat(1024 * 1024 + 10) },
      }),
    );
    await client.waitFor((f) => f.error?.code === 'PAYLOAD_TOO_LARGE');
    await client.waitFor((f) => f.id === 'x' && f.error?.code === 'METHOD_NOT_FOUND');
    await client.waitFor((f) => f.id === 'y' && f.error?.code === 'INVALID_PARAMS');
    await client.waitFor((f) => f.id === null && f.error?.code === 'BAD_REQUEST');
    expect((await client.request('health')).payload.ok).toBe(true);
    client.close();
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});

describe('the running gateway: config', () => {
  it('config.apply writes the file atomically with a backup; an invalid one keeps the last good', async () => {
    const client = await ControlClient.connect(ws, TOKEN);
    const current = (await client.request('config.get')).payload.config;
    const bad = await client.request('config.apply', { config: { ...current, gatway: {} } });
    expect(bad.error?.code).toBe('INVALID_CONFIG');
    const next = structuredClone(current);
    next.agents = { defaults: { maxConcurrent: 2 } };
    const applied = await client.request('config.apply', { config: next });
    expect(applied.ok).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8'));
    expect(onDisk.agents.defaults.maxConcurrent).toBe(2);
    expect(onDisk.gateway.mode).toBe('local');
    expect(readdirSync(gateway.stateDir)).toContain('krabkrab.json.bak.1');
    expect(readdirSync(gateway.stateDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    client.close();
  });

  it('re-reads the file when it changes and on SIGHUP; rejects an invalid version and keeps the last good', async () => {
    const path = join(gateway.stateDir, 'krabkrab.json');
    const good = JSON.parse(readFileSync(path, 'utf8'));
    good.agents = { defaults: { maxConcurrent: 3 } };
    writeFileSync(path, JSON.stringify(good));
    await gateway.waitForLine(/\[gateway\] config reloaded from/);
    const client = await ControlClient.connect(ws, TOKEN);
    expect((await client.request('config.get')).payload.config.agents.defaults.maxConcurrent).toBe(3);

    writeFileSync(path, JSON.stringify({ ...good, agents: { defaults: { maxConcurrent: 'many' } } }));
    await gateway.waitForLine(/agents\.defaults\.maxConcurrent: expected number, got string/);
    expect(gateway.output()).toContain('config reload rejected, keeping the last good config');
    expect((await client.request('config.get')).payload.config.agents.defaults.maxConcurrent).toBe(3);

    good.agents.defaults.maxConcurrent = 5;
    const before = gateway.output().split('config reloaded from').length;
    writeFileSync(path, JSON.stringify(good));
    gateway.child.kill('SIGHUP');
    await gateway.waitForLine(/received SIGHUP/);
    for (let i = 0; i < 100 && gateway.output().split('config reloaded from').length === before; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await client.request('config.get')).payload.config.agents.defaults.maxConcurrent).toBe(5);
    client.close();
  });
});
