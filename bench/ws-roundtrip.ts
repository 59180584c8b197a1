// WS control round trip: a `health` request answered over the gateway's control socket (frame
// parsed and checked by zod, method table, response frame), one at a time, beside a bare `ws`
// server that answers every frame with a `res` frame; the same client, interleaved rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocketClass from 'ws';
import { percentile, stop } from './lib';
import { freePort, spawnUntil } from './load';

// run-ts bundles into a temp dir: bare imports resolve through its `require` banner.
const WebSocket: typeof WebSocketClass = require('ws');
const TOKEN = 'bench-ws-token-0123456789abcdef';

export interface RoundTrip {
  n: number;
  p50: number;
  p99: number;
  perSecond: number;
}

async function open(url: string, token?: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const waiting = new Map<string, () => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'res') waiting.get(String(frame.id))?.();
  });
  let next = 0;
  const request = (method: string, params?: unknown) =>
    new Promise<void>((resolve) => {
      const id = `b${++next}`;
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      socket.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  if (token) await request('connect', { protocol: 1, auth: { token } });
  return { request, close: () => socket.close() };
}

async function rounds(request: () => Promise<void>, count: number, deadline: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await request();
    times.push(performance.now() - t0);
  }
  return times;
}

export async function measureWsRoundTrip(
  count = 4000,
  roundsCount = 4,
): Promise<{ echo: RoundTrip; gateway: RoundTrip }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'krab-bench-ws-'));
  const [gatewayPort, echoPort] = await Promise.all([freePort(), freePort()]);
  const env = {
    PATH: process.env.PATH,
    HOME: stateDir,
    krabkrab_STATE_DIR: stateDir,
    krabkrab_GATEWAY_TOKEN: TOKEN,
  };
  const echoServer = await spawnUntil(['bench/ws-echo-baseline.mjs', String(echoPort)], env, /listening/);
  const gatewayServer = await spawnUntil(
    ['dist/index.js', 'gateway', '--port', String(gatewayPort), '--allow-unconfigured'],
    env,
    /listening on ws:/,
  );
  const echo = await open(`ws://127.0.0.1:${echoPort}`);
  const gateway = await open(`ws://127.0.0.1:${gatewayPort}`, TOKEN);
  try {
    const deadline = performance.now() + 60_000;
    const per = Math.ceil(count / roundsCount);
    await rounds(() => echo.request('health'), 300, deadline);
    await rounds(() => gateway.request('health'), 300, deadline);
    const times = { echo: [] as number[], gateway: [] as number[] };
    const wall = { echo: 0, gateway: 0 };
    for (let round = 0; round < roundsCount; round++) {
      for (const name of ['echo', 'gateway'] as const) {
        const client = name === 'echo' ? echo : gateway;
        const t0 = performance.now();
        times[name].push(...(await rounds(() => client.request('health'), per, deadline)));
        wall[name] += performance.now() - t0;
      }
    }
    const figures = (name: 'echo' | 'gateway'): RoundTrip => ({
      n: times[name].length,
      p50: percentile(times[name], 50),
      p99: percentile(times[name], 99),
      perSecond: (times[name].length / wall[name]) * 1000,
    });
    return { echo: figures('echo'), gateway: figures('gateway') };
  } finally {
    echo.close();
    gateway.close();
    await stop(echoServer);
    await stop(gatewayServer);
    rmSync(stateDir, { recursive: true, force: true });
  }
}
