// Telegram webhook acks: requests/s answered 200 (each update verified, normalized and durable in
// the spool before the 200) and p50/p99 ack latency, beside a bare hono handler that reads the
// body and answers 200; the same client, interleaved rounds. `dmPolicy: "disabled"`: after the
// 200 each message is dropped by policy, so the figure is the ingest path, not model latency.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeBotApi } from '../test/fakes/telegram-bot-api';
import { stop } from './lib';
import { freePort, type LoadFigures, loadPosts, mergeRounds, spawnUntil } from './load';

export const WEBHOOK_SECRET = 'bench_webhook_secret_0123456789';

let nextId = 1;
/** One webhook request as Telegram sends it (a private text, 50 users). */
export function telegramUpdate(): { body: string; headers: Record<string, string> } {
  const id = nextId++;
  const user = 1000 + (id % 50);
  return {
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: 'private', first_name: 'Bench' },
        from: { id: user, is_bot: false, first_name: 'Bench' },
        text: `message ${id}`,
      },
    }),
  };
}

/** The config and env that make a gateway serve the Telegram webhook for the bench. */
export function telegramIngest(bot: FakeBotApi, gatewayUrl: string) {
  return {
    config: {
      gateway: { mode: 'local' },
      channels: {
        telegram: {
          enabled: true,
          webhookUrl: gatewayUrl,
          webhookSecret: WEBHOOK_SECRET,
          dmPolicy: 'disabled',
        },
      },
    },
    env: { TELEGRAM_BOT_TOKEN: bot.token, TELEGRAM_API_ROOT: bot.origin },
  };
}

export interface AckFigures {
  hono: LoadFigures;
  gateway: LoadFigures;
}

export async function measureTelegramAcks(
  bot: FakeBotApi,
  requests = 2000,
  concurrency = 16,
  rounds = 4,
): Promise<AckFigures> {
  const stateDir = mkdtempSync(join(tmpdir(), 'krab-bench-acks-'));
  const [gatewayPort, honoPort] = await Promise.all([freePort(), freePort()]);
  const ingest = telegramIngest(bot, `http://127.0.0.1:${gatewayPort}`);
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(ingest.config));
  const env = {
    PATH: process.env.PATH,
    HOME: stateDir,
    NODE_ENV: 'production',
    krabkrab_STATE_DIR: stateDir,
    krabkrab_GATEWAY_TOKEN: 'bench-gateway-token-0123456789',
    ...ingest.env,
  };
  const hono = await spawnUntil(['bench/hono-baseline.mjs', String(honoPort)], env, /listening/);
  const gateway = await spawnUntil(
    ['dist/index.js', 'gateway', '--port', String(gatewayPort)],
    env,
    /\[telegram\] webhook set to/,
  );
  try {
    const targets = {
      hono: `http://127.0.0.1:${honoPort}/telegram/webhook`,
      gateway: `http://127.0.0.1:${gatewayPort}/telegram/webhook`,
    };
    const per = Math.ceil(requests / rounds);
    const results: Record<keyof typeof targets, LoadFigures[]> = { hono: [], gateway: [] };
    for (const url of Object.values(targets))
      await loadPosts(url, telegramUpdate, { count: Math.min(300, requests), concurrency });
    for (let round = 0; round < rounds; round++) {
      for (const [name, url] of Object.entries(targets) as Array<[keyof typeof targets, string]>) {
        results[name].push(
          await loadPosts(url, telegramUpdate, { count: per, concurrency, timeLimitMs: 60_000 }),
        );
      }
    }
    return { hono: mergeRounds(results.hono), gateway: mergeRounds(results.gateway) };
  } finally {
    await stop(hono);
    await stop(gateway);
    rmSync(stateDir, { recursive: true, force: true });
  }
}
