// `node bench/providers.mjs`: the model router's own cost per turn over the fake Anthropic server.
// Baselines in the same run: a raw `fetch` of the same streamed reply, and @anthropic-ai/sdk
// called straight. The router adds key resolution, cooldown checks, the watchdog and event mapping.
import Anthropic from '@anthropic-ai/sdk';
import memoryDriver from 'unstorage/drivers/memory';
import { createLogHub } from '../src/core/log/logger';
import { createModelRouter } from '../src/core/providers/router';
import { systemClock } from '../src/core/runtime/clock';
import { createStore } from '../src/core/storage/store';
import { reply, startFakeAnthropic } from '../test/fakes/anthropic-server';
import { percentile, table } from './lib';

const TURNS = Number(process.env.BENCH_TURNS ?? 500);
const WARMUP = 50;
const KEY = 'sk-ant-bench-key-0123';
const TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(8);

const fake = await startFakeAnthropic({ respond: () => reply.text(TEXT) });
const body = JSON.stringify({
  model: 'claude-opus-4-5',
  max_tokens: 512,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
});
const env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.baseUrl };
const log = createLogHub({ write: () => {}, now: Date.now }).logger;
const newRouter = () =>
  createModelRouter({
    config: () => ({}),
    env,
    store: createStore({ drivers: { default: memoryDriver() } }),
    clock: systemClock,
    log,
  });

const ROUNDS = 10;

/** Paths run in interleaved rounds, so load from elsewhere on the machine hits them all alike. */
async function measureAll(paths: Array<[string, () => Promise<unknown>]>) {
  for (const [, turn] of paths) for (let i = 0; i < WARMUP; i++) await turn();
  const times = paths.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, turn]] of paths.entries()) {
      for (let i = 0; i < TURNS / ROUNDS; i++) {
        const start = performance.now();
        await turn();
        times[index]!.push(performance.now() - start);
      }
    }
  }
  return paths.map(([label], index) => ({
    label,
    p50: percentile(times[index]!, 50),
    p99: percentile(times[index]!, 99),
  }));
}

async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of iterable) count++;
  return count;
}

const fetchTurn = async () => {
  const res = await fetch(`${fake.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body,
  });
  await res.text();
};
const sdk = new Anthropic({ apiKey: KEY, baseURL: fake.baseUrl, maxRetries: 0 });
const sdkTurn = () =>
  sdk.messages
    .create({ model: 'claude-x', max_tokens: 512, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    .then(drain);
const router = newRouter();
const routerTurn = () =>
  drain(router.stream({ models: ['anthropic/claude-x'], messages: [{ role: 'user', content: 'hi' }] }));
// A fresh router (empty cooldowns) per turn, so every turn pays one 429 and one failover.
const failoverTurn = () => {
  fake.enqueue(reply.rateLimited());
  return drain(
    newRouter().stream({
      models: ['anthropic/claude-x', 'anthropic/claude-y'],
      messages: [{ role: 'user', content: 'hi' }],
    }),
  );
};

const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(2)}`;
const rows = await measureAll([
  ['raw fetch (baseline)', fetchTurn],
  ['@anthropic-ai/sdk straight', sdkTurn],
  ['model router', routerTurn],
  ['router, 429 then fallback', failoverTurn],
]);
const base = rows[0]!;
const viaSdk = rows[1]!;
console.log(
  `Model router overhead per turn over the fake Anthropic server (Node ${process.version}, ${TURNS} turns each, ${TEXT.length}-char streamed reply)\n`,
);
console.log(
  table(
    rows.map((row) => ({
      path: row.label,
      'p50 ms': row.p50.toFixed(2),
      'p99 ms': row.p99.toFixed(2),
      'p50 vs fetch': signed(row.p50 - base.p50),
      'p50 vs SDK': signed(row.p50 - viaSdk.p50),
    })),
  ),
);
await fake.close();
