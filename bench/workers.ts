// The Workers build in workerd (miniflare): bundle size (dist/worker/size.json), first-request
// latency (new Miniflare → first 200 on /health, a cold isolate and Durable Object each time) and
// Telegram webhook acks/s with the same client and load as the Node gateway.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import type { FakeBotApi } from '../test/fakes/telegram-bot-api';
import { median } from './lib';
import { type LoadFigures, loadPosts } from './load';
import { telegramIngest, telegramUpdate } from './webhook-acks';

export interface WorkerFigures {
  rawKiB: number;
  gzipKiB: number;
  firstRequestMs: number;
  acks: LoadFigures;
}

function startMiniflare(bindings: Record<string, string>, config: unknown): Miniflare {
  return new Miniflare({
    modules: true,
    scriptPath: 'dist/worker/index.js',
    compatibilityDate: '2025-09-01',
    durableObjects: { GATEWAY: 'KrabKrabGateway' },
    bindings: { ...bindings, KRABKRAB_CONFIG: JSON.stringify(config) },
    host: '127.0.0.1',
    port: 0,
  });
}

export async function measureWorkers(
  bot: FakeBotApi,
  runs = 3,
  requests = 1000,
  concurrency = 16,
): Promise<WorkerFigures> {
  execFileSync(process.execPath, ['scripts/build-worker.mjs'], {
    stdio: 'ignore',
    env: { ...process.env, QUIET: '1' },
  });
  const size = JSON.parse(readFileSync('dist/worker/size.json', 'utf8')) as {
    rawKiB: number;
    gzipKiB: number;
  };
  const ingest = telegramIngest(bot, 'https://krab.example.workers.dev');
  const bindings = { ...ingest.env, krabkrab_GATEWAY_TOKEN: 'bench-gateway-token-0123456789' };

  const firsts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const mf = startMiniflare(bindings, ingest.config);
    try {
      const url = (await mf.ready).toString().replace(/\/$/, '');
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`worker /health answered ${res.status}`);
      firsts.push(performance.now() - t0);
    } finally {
      await mf.dispose();
    }
  }

  const mf = startMiniflare(bindings, ingest.config);
  try {
    const url = `${(await mf.ready).toString().replace(/\/$/, '')}/telegram/webhook`;
    await loadPosts(url, telegramUpdate, { count: Math.min(200, requests), concurrency });
    const acks = await loadPosts(url, telegramUpdate, { count: requests, concurrency, timeLimitMs: 60_000 });
    return { ...size, firstRequestMs: median(firsts), acks };
  } finally {
    await mf.dispose();
  }
}
