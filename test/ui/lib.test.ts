import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { backoffDelay } from '../../src/ui/lib/backoff';
import { applyChatEvent, type ChatItem, isTerminal, toChatItems } from '../../src/ui/lib/chat-model';
import { type ClientStatus, GatewayClient, RequestError, sameOriginSocketUrl } from '../../src/ui/lib/client';
import { lineOfPath, parseJsonDocument, withLine } from '../../src/ui/lib/json-text';
import { describeSchedule } from '../../src/ui/views/cron';
import { describeLoginError } from '../../src/ui/views/login';
import { createManualClock } from '../helpers/context';

describe('UI helpers', () => {
  it('backs off from 0.5 s doubling to 30 s, with at most 20 % jitter', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, () => 0))).toEqual([500, 1000, 2000, 4000, 30_000]);
    expect(backoffDelay(2, () => 1)).toBe(2400);
    expect(backoffDelay(50, () => 0.999)).toBeLessThanOrEqual(36_000);
  });

  it('builds the socket URL from the page origin only', () => {
    expect(sameOriginSocketUrl({ protocol: 'https:', host: 'krab.fly.dev' })).toBe('wss://krab.fly.dev/ws');
    expect(sameOriginSocketUrl({ protocol: 'http:', host: '127.0.0.1:18789' })).toBe(
      'ws://127.0.0.1:18789/ws',
    );
  });

  it('names the line of a JSON syntax error and finds the line of a dotted path', () => {
    const bad = parseJsonDocument('{\n  "a": 1,\n  "b": }\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/Unexpected token/);
    expect(withLine('Unexpected token } in JSON at position 18', '{\n  "a": 1,\n  "b": }\n')).toMatch(
      /position 18 \(line 3\)$/,
    );
    const chromium = 'Unexpected token \'}\', "b": } is not valid JSON at position 18 (line 3 column 8)';
    expect(withLine(chromium, '')).toBe(chromium);
    expect(parseJsonDocument('[1]')).toEqual({
      ok: false,
      message: 'the config must be a JSON object { ... }',
    });
    const text = JSON.stringify(
      { gateway: { port: 1 }, agents: { defaults: { maxConcurrent: 'x' } }, bindings: [{ agentId: 'a' }] },
      null,
      2,
    );
    const range = lineOfPath(text, 'agents.defaults.maxConcurrent')!;
    expect(text.slice(range.start, range.end).trim()).toBe('"maxConcurrent": "x"');
    const inArray = lineOfPath(text, 'bindings[0].agentId')!;
    expect(text.slice(inArray.start, inArray.end).trim()).toBe('"agentId": "a"');
    expect(lineOfPath(text, 'nope.nothing')).toBeUndefined();
  });

  it('folds tool results into their calls and streamed events into the reply', () => {
    const items = toChatItems([
      { role: 'user', content: 'time?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 't1', name: 'current_time', arguments: '{"tz":"UTC"}' }],
      },
      { role: 'tool', toolCallId: 't1', name: 'current_time', content: '12:00' },
      { role: 'assistant', content: 'Noon.' },
    ]);
    expect(items.map((i) => [i.role, i.text])).toEqual([
      ['user', 'time?'],
      ['assistant', 'Noon.'],
    ]);
    expect(items[1]!.tools).toEqual([
      { id: 't1', name: 'current_time', args: { tz: 'UTC' }, result: '12:00', isError: undefined },
    ]);

    let reply: ChatItem = { key: 'k', role: 'assistant', text: '', tools: [], streaming: true };
    reply = applyChatEvent(reply, { state: 'delta', text: 'Hel' });
    reply = applyChatEvent(reply, { state: 'tool', name: 'memory_save', args: { note: 'x' } });
    reply = applyChatEvent(reply, { state: 'delta', text: 'lo' });
    expect(reply).toMatchObject({ text: 'Hello', streaming: true, tools: [{ name: 'memory_save' }] });
    expect(isTerminal({ state: 'delta' })).toBe(false);
    expect(applyChatEvent(reply, { state: 'final', text: 'Hello!', model: 'anthropic/x' })).toMatchObject({
      text: 'Hello!',
      streaming: false,
      model: 'anthropic/x',
    });
    expect(applyChatEvent(reply, { state: 'error', code: 'ABORTED', message: 'aborted' }).text).toBe(
      'Hello\n(stopped)',
    );
    const failed = applyChatEvent(
      { ...reply, text: '' },
      { state: 'error', code: 'PROVIDER_ERROR', message: 'no key' },
    );
    expect(failed).toMatchObject({ role: 'error', text: 'no key', streaming: false });
  });

  it("shows a compaction's summary as a note, not as the user's words", () => {
    const items = toChatItems([
      {
        role: 'user',
        content: '[Compacted: 3 earlier turn(s) summarized at 2026-03-01 10:00 UTC]\n- trip to Lisbon',
      },
      { role: 'user', content: 'and now?' },
      { role: 'assistant', content: 'Packing.' },
    ]);
    expect(items.map((i) => i.role)).toEqual(['note', 'user', 'assistant']);
    expect(items[0]!.text).toMatch(/^\[Compacted: 3 earlier turn/);
  });

  it('describes schedules and login refusals in words', () => {
    expect(describeSchedule({ cron: '0 9 * * *' })).toBe('0 9 * * *');
    expect(describeSchedule({ every: '30m' })).toBe('every 30m');
    expect(describeSchedule({ at: '2026-04-01T09:00:00Z' })).toBe('once at 2026-04-01T09:00:00Z');
    expect(describeLoginError(new RequestError('UNAUTHORIZED', 'wrong gateway token'))).toMatch(
      /^Wrong gateway token/,
    );
    expect(
      describeLoginError(
        new RequestError('RATE_LIMITED', 'too many failed attempts; try again in 42 s', 41_500),
      ),
    ).toMatch(/Too many failed attempts.*Try again in 42 s/);
  });
});

/** A tiny control endpoint speaking the handshake, so the client's reconnect logic runs on a real socket. */
async function fakeGateway(options: { token: string }) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const sockets = new Set<WebSocket>();
  let connects = 0;
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(
      JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n' }, seq: 1 }),
    );
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.method === 'connect') {
        connects++;
        if (frame.params.auth.token !== options.token) {
          socket.send(
            JSON.stringify({
              type: 'res',
              id: frame.id,
              ok: false,
              error: { code: 'UNAUTHORIZED', message: 'wrong gateway token' },
            }),
          );
          socket.close(1008, 'unauthorized');
          return;
        }
        const hello = {
          type: 'hello-ok',
          protocol: 1,
          connectionId: `c${connects}`,
          server: { name: 'fake', version: '9.9.9' },
          methods: ['health'],
        };
        socket.send(JSON.stringify({ type: 'res', id: frame.id, ok: true, payload: hello }));
      } else if (frame.method === 'health') {
        socket.send(JSON.stringify({ type: 'res', id: frame.id, ok: true, payload: { ok: true } }));
      }
    });
  });
  return {
    url: () => `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    connects: () => connects,
    dropAll: () => {
      for (const socket of sockets) socket.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe('GatewayClient (over a real socket)', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const Ctor = WebSocket as unknown as typeof globalThis.WebSocket;

  it('reconnects after the connection drops and fails requests that were in flight', async () => {
    const server = await fakeGateway({ token: 't' });
    cleanups.push(server.close);
    const clock = createManualClock();
    const client = new GatewayClient('t', { url: server.url(), WebSocketCtor: Ctor, clock });
    cleanups.push(() => client.close());
    const states: ClientStatus['state'][] = [];
    client.onStatus((s) => states.push(s.state));
    const hello = await client.connect();
    expect(hello.server.version).toBe('9.9.9');
    expect(client.has('health')).toBe(true);
    expect(client.has('chat.send')).toBe(false);
    expect(await client.request('health')).toEqual({ ok: true });

    server.dropAll();
    await expect.poll(() => client.status.state).toBe('reconnecting');
    await expect(client.request('health')).rejects.toMatchObject({ code: 'DISCONNECTED' });
    // The next attempt waits for its backoff on the clock: not a millisecond early.
    const retryAt = client.status.retryAt!;
    expect(retryAt - clock.now()).toBeGreaterThanOrEqual(500);
    clock.set(retryAt - 1);
    expect(server.connects()).toBe(1);
    expect(states.at(-1)).toBe('reconnecting');
    clock.set(retryAt);
    await expect.poll(() => client.status.state, { timeout: 5000 }).toBe('connected');
    expect(server.connects()).toBe(2);
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'reconnecting', 'connected']);
  });

  it('gives up on a refused token instead of retrying into the throttle', async () => {
    const server = await fakeGateway({ token: 'right' });
    cleanups.push(server.close);
    const clock = createManualClock();
    const client = new GatewayClient('wrong', { url: server.url(), WebSocketCtor: Ctor, clock });
    await expect(client.connect()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.status).toMatchObject({ state: 'closed', error: { code: 'UNAUTHORIZED' } });
    // Every reconnect waits on the clock first: with no timer left, none is coming.
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(60_000);
    expect(server.connects()).toBe(1);
    expect(client.status.state).toBe('closed');
  });
});
