// Telegram webhook ack figures: requests/s answered 200 (each update verified, normalized and
// durable in the spool first) and p50/p99 ack latency, beside a bare hono handler that reads the
// body and answers 200, measured in the same run with the same client.
//
//   npm run build && node bench/telegram-webhook.mjs [requests=2000] [concurrency=16]
//
// The gateway runs as a user would (`node dist/index.js gateway`), pointed at a tiny stand-in Bot
// API (getMe/setWebhook). `dmPolicy: "disabled"`: after the 200 each message is dropped by policy,
// so the figure is the ingest path, not model latency.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REQUESTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const WARMUP = Math.min(300, REQUESTS);
const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const SECRET = 'bench_webhook_secret_0123456789';
const entry = process.env.KRABKRAB_DIST_ENTRY ?? 'dist/index.js';
if (!existsSync(entry)) {
  console.error(`${entry} is missing: run npm run build first`);
  process.exit(2);
}

/** The Bot API calls the gateway makes at start, answered like Telegram does. */
function startBotApi() {
  const server = createServer((req, res) => {
    const method = /\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1];
    const result = method === 'getMe' ? { id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_bot' } : true;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a server and resolves once a line of its output matches. */
function spawnUntil(args, env, pattern) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
}

let nextId = 1;
function update() {
  const id = nextId++;
  const user = 1000 + (id % 50);
  return JSON.stringify({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private', first_name: 'Bench' },
      from: { id: user, is_bot: false, first_name: 'Bench' },
      text: `message ${id}`,
    },
  });
}

/** `count` POSTs, `CONCURRENCY` at a time; every answer must be 200. */
async function load(url, count) {
  const latencies = [];
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < count) {
      sent++;
      const body = update();
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: count / seconds, p50: pick(50), p99: pick(99) };
}

const botApi = await startBotApi();
const stateDir = mkdtempSync(join(tmpdir(), 'krab-bench-telegram-'));
const [gatewayPort, honoPort] = await Promise.all([freePort(), freePort()]);
writeFileSync(
  join(stateDir, 'krabkrab.json'),
  JSON.stringify({
    gateway: { mode: 'local' },
    channels: { telegram: { enabled: true, webhookUrl: `http://127.0.0.1:${gatewayPort}`, webhookSecret: SECRET, dmPolicy: 'disabled' } },
  }),
);
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'production',
  krabkrab_STATE_DIR: stateDir,
  krabkrab_GATEWAY_TOKEN: 'bench-gateway-token-0123456789',
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: `http://127.0.0.1:${botApi.address().port}`,
};

const honoSource = `
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
const app = new Hono();
app.post('/telegram/webhook', async (c) => { await c.req.json(); return c.json({ ok: true }); });
serve({ fetch: app.fetch, port: ${honoPort}, hostname: '127.0.0.1' }, () => console.log('listening'));
`;
const honoFile = join(process.cwd(), 'bench', `.hono-baseline-${process.pid}.mjs`);
writeFileSync(honoFile, honoSource);

const children = [];
try {
  const hono = await spawnUntil([honoFile], env, /listening/);
  children.push(hono);
  const gateway = await spawnUntil([entry, 'gateway', '--port', String(gatewayPort)], env, /\[telegram\] webhook set to/);
  children.push(gateway);

  const targets = [
    ['bare hono handler (read body, 200)', `http://127.0.0.1:${honoPort}/telegram/webhook`],
    ['krabkrab /telegram/webhook (secret, normalize, spool, 200)', `http://127.0.0.1:${gatewayPort}/telegram/webhook`],
  ];
  const results = [];
  for (const [name, url] of targets) {
    await load(url, WARMUP);
    results.push([name, await load(url, REQUESTS)]);
  }
  const [base] = results;
  console.log(`Telegram webhook ack (Node ${process.version}, ${REQUESTS} requests, concurrency ${CONCURRENCY})\n`);
  console.log('| server | requests/s | p50 ack ms | p99 ack ms | vs hono |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of results) {
    console.log(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / base[1].rps).toFixed(2)}x |`);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  botApi.close();
  rmSync(honoFile, { force: true });
  // Give the gateway a moment to release its lock before the state dir goes.
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(stateDir, { recursive: true, force: true });
}
