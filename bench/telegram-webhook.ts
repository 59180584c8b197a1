// Telegram webhook ack figures on their own (npm run bench prints them in its table too):
//   npm run build && node scripts/run-ts.mjs bench/telegram-webhook.ts [requests=2000] [concurrency=16]
import { startFakeBotApi } from '../test/fakes/telegram-bot-api';
import { measureTelegramAcks } from './webhook-acks';

const requests = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const bot = await startFakeBotApi();
try {
  const { hono, gateway } = await measureTelegramAcks(bot, requests, concurrency);
  console.log(
    `Telegram webhook ack (Node ${process.version}, ${requests} requests, concurrency ${concurrency})\n`,
  );
  console.log('| server | requests/s | p50 ack ms | p99 ack ms | vs hono |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of [
    ['bare hono handler (read body, 200)', hono],
    ['krabkrab /telegram/webhook (secret, normalize, spool, 200)', gateway],
  ] as const) {
    console.log(
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / hono.rps).toFixed(2)}x |`,
    );
  }
} finally {
  await bot.close();
}
