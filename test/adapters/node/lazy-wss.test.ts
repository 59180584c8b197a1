import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LazyWebSocketServer } from '../../../src/adapters/node/lazy-wss';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** These tests load `ws` for real: a failed load would be a test failure. */
const failOnError = {
  error: (message: string, cause?: unknown) => expect.fail(`${message}: ${String(cause)}`),
};

/** A loopback server handing every upgrade to `wss`, as @hono/node-server does. */
async function serve(wss: LazyWebSocketServer): Promise<string> {
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws, req) => wss.emit('connection', ws, req));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

/** Opens a client; resolves with the upgrade response's headers, or the error that ended it. */
function connect(
  url: string,
): Promise<{ ws: WebSocket; headers?: IncomingMessage['headers']; error?: Error }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let headers: IncomingMessage['headers'] | undefined;
    ws.once('upgrade', (response) => (headers = response.headers));
    ws.once('open', () => resolve({ ws, headers }));
    ws.once('error', (error) => resolve({ ws, error }));
  });
}

describe('LazyWebSocketServer', () => {
  it('refuses an upgrade that comes before ws is loaded (the socket is closed, not left open)', async () => {
    const wss = new LazyWebSocketServer(1024, { log: failOnError });
    const url = await serve(wss);
    const { error } = await connect(url);
    expect(error).toBeDefined();
    expect(wss.clients.size).toBe(0);
  });

  it('once ready, upgrades with the real server: headers event, clients, maxPayload', async () => {
    const wss = new LazyWebSocketServer(16, { log: failOnError });
    await wss.ready();
    wss.on('headers', (headers: string[]) => headers.push('X-Test: yes'));
    const opened = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const url = await serve(wss);
    const { ws, headers, error } = await connect(url);
    expect(error).toBeUndefined();
    expect(headers?.['x-test']).toBe('yes');
    const server = await opened;
    server.on('error', () => {}); // the oversized frame below
    expect([...wss.clients]).toEqual([server]);
    // A frame over maxPayload closes the connection (1009), as the eager server did.
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send('x'.repeat(64));
    expect(await closed).toBe(1009);
    wss.close();
  });

  it('closed before it was loaded (the gateway stopped): no upgrade is accepted after', async () => {
    const wss = new LazyWebSocketServer(1024, { log: failOnError });
    wss.close();
    await wss.ready();
    const url = await serve(wss);
    const { error } = await connect(url);
    expect(error?.message).toMatch(/503/);
    expect(wss.clients.size).toBe(0);
  });
});

describe('LazyWebSocketServer when ws fails to load', () => {
  it('logs the failure and loads again on the next upgrade instead of keeping the failure', async () => {
    const logged: string[] = [];
    let loads = 0;
    const wss = new LazyWebSocketServer(1024, {
      log: { error: (message, cause) => logged.push(`${message}: ${(cause as Error).message}`) },
      load: async () => {
        loads++;
        if (loads === 1) throw new Error('EMFILE: too many open files');
        return import('ws');
      },
    });
    await expect(wss.ready()).rejects.toThrow(/EMFILE/);
    expect(logged).toEqual([
      'could not load ws, this control connection is refused (the next one loads it again): EMFILE: too many open files',
    ]);
    const opened = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    await wss.ready();
    expect(loads).toBe(2);
    const { ws, error } = await connect(await serve(wss));
    expect(error).toBeUndefined();
    await opened;
    ws.close();
    wss.close();
    // Loaded once it worked: no third load.
    await wss.ready();
    expect(loads).toBe(2);
  });
});
