// `npm run soak`: 10,000 messages across 1,000 conversations through the gateway's pipeline
// (Telegram update → spool → dedupe → agent turn over the model router → reply through the
// Telegram adapter), on the fs store in a temp state dir. The gateway runs in a child process
// (`node --expose-gc`, started in-process with startGateway, messages handed to the same accept
// path the webhook uses) so its memory is measured alone; the fake Telegram Bot API and the fake
// Anthropic run here. Prints RSS and heap after GC before and after, and the session data on
// disk, as markdown for the README. Bounded: SOAK_MESSAGES, SOAK_CHATS, 10 minutes at most.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 10_000);
const CHATS = Number(process.env.SOAK_CHATS ?? 1_000);
const WARMUP = 200;
const IN_FLIGHT = 48;
const DEADLINE_MS = 10 * 60_000;
const FIRST_CHAT = 5_000_000;
const MiB = 1024 * 1024;

const text = (i: number) => `soak ${i}: ${'lorem ipsum dolor sit amet '.repeat(3).trim()}`;

interface Sample {
  rssMiB: number;
  heapMiB: number;
}

interface ChildReport {
  started: Sample;
  warm: Sample;
  half: Sample;
  after: Sample;
  settled: Sample;
  sessionsBytes: number;
  sessionFiles: number;
  stateBytes: number;
  ms: number;
  stats: Record<string, number>;
}

function dirBytes(path: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = dirBytes(full);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      bytes += statSync(full).size;
      files++;
    }
  }
  return { bytes, files };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function child(): Promise<void> {
  const { startGateway } = await import('../src/adapters/node/gateway');
  const { acceptTelegramUpdate } = await import('../src/core/channels/telegram/inbound');
  const { updates } = await import('../test/fakes/telegram-bot-api');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const sample = async (): Promise<Sample> => {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(50);
    }
    const memory = process.memoryUsage();
    return { rssMiB: memory.rss / MiB, heapMiB: memory.heapUsed / MiB };
  };
  const stateDir = process.env.krabkrab_STATE_DIR!;
  let errors = 0;
  const gateway = await startGateway({
    port: 0,
    env: process.env,
    write: (record) => {
      if (record.level === 'error') {
        errors++;
        if (errors <= 5) process.stderr.write(`${record.line}\n`);
      }
    },
  });
  const { ctx } = gateway;
  const started = await sample();
  const t0 = performance.now();
  let nextId = 0;
  const send = async (i: number, chat: number) => {
    const update = {
      update_id: 7_000_000 + nextId++,
      ...updates.privateText(text(i), { userId: chat, messageId: 100_000 + i }),
    };
    await acceptTelegramUpdate(ctx, update as never);
  };
  const done = () => {
    const s = ctx.pipeline.stats();
    return s.replied + s.failed + s.dropped;
  };
  /** Accepts messages [from, to) with at most IN_FLIGHT unanswered, then waits until all are answered. */
  const run = async (from: number, to: number, chatOf: (i: number) => number) => {
    for (let i = from; i < to && performance.now() - t0 < DEADLINE_MS; i++) {
      while (ctx.pipeline.stats().accepted - done() >= IN_FLIGHT) await sleep(2);
      await send(i, chatOf(i));
    }
    while (done() < ctx.pipeline.stats().accepted && performance.now() - t0 < DEADLINE_MS) await sleep(20);
  };
  // Warm-up on chats of their own (JIT, lazy SDK imports, the first session files).
  await run(-WARMUP, 0, (i) => FIRST_CHAT + CHATS + (-i % 50));
  const warm = await sample();
  await run(0, MESSAGES / 2, (i) => FIRST_CHAT + (i % CHATS));
  const half = await sample();
  await run(MESSAGES / 2, MESSAGES, (i) => FIRST_CHAT + (i % CHATS));
  const ms = performance.now() - t0;
  const after = await sample();
  await sleep(5000);
  const settled = await sample();
  const sessions = dirBytes(join(stateDir, 'sessions'));
  const report: ChildReport = {
    started,
    warm,
    half,
    after,
    settled,
    sessionsBytes: sessions.bytes,
    sessionFiles: sessions.files,
    stateBytes: dirBytes(stateDir).bytes,
    ms,
    stats: { ...ctx.pipeline.stats(), errors },
  };
  await gateway.stop();
  process.stdout.write(`SOAK ${JSON.stringify(report)}\n`);
}

async function parent(): Promise<void> {
  const { writeFileSync } = await import('node:fs');
  const { startFakeAnthropic } = await import('../test/fakes/anthropic-server');
  const { startFakeBotApi } = await import('../test/fakes/telegram-bot-api');
  const { removeDir, tempStateDir } = await import('../test/helpers/gateway-process');
  const bot = await startFakeBotApi();
  const llm = await startFakeAnthropic();
  const stateDir = tempStateDir('krab-soak-');
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-soak' }, maxConcurrent: 8 } },
      channels: {
        telegram: { enabled: true, dmPolicy: 'open', webhookUrl: 'http://127.0.0.1:9/telegram/webhook' },
      },
    }),
  );
  console.log(
    `soak: ${MESSAGES} messages over ${CHATS} conversations (Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(1)})`,
  );
  const proc = spawn(process.execPath, ['--expose-gc', 'scripts/run-ts.mjs', 'scripts/soak.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: stateDir,
      SOAK_CHILD: '1',
      SOAK_MESSAGES: String(MESSAGES),
      SOAK_CHATS: String(CHATS),
      krabkrab_STATE_DIR: stateDir,
      krabkrab_GATEWAY_TOKEN: 'soak-gateway-token-0123456789',
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_API_ROOT: bot.origin,
      ANTHROPIC_API_KEY: 'sk-ant-soak-0123456789',
      ANTHROPIC_BASE_URL: llm.origin,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (chunk) => (out += chunk));
  const killer = setTimeout(() => proc.kill('SIGKILL'), DEADLINE_MS + 120_000);
  const code = await new Promise<number | null>((done) => proc.on('exit', done));
  clearTimeout(killer);
  const line = out.split('\n').find((l) => l.startsWith('SOAK '));
  if (!line) {
    console.error(`soak child exited ${code} without a report:\n${out}`);
    process.exitCode = 1;
    return;
  }
  const r = JSON.parse(line.slice(5)) as ChildReport;

  // Every message answered exactly once (the echo names it).
  const answers = new Map<number, number>();
  for (const call of bot.callsOf('sendMessage')) {
    const match = /^echo: soak (\d+):/.exec(String(call.params.text));
    if (match) answers.set(Number(match[1]), (answers.get(Number(match[1])) ?? 0) + 1);
  }
  const once = [...Array(MESSAGES).keys()].filter((i) => answers.get(i) === 1).length;
  await bot.close();
  await llm.close();
  removeDir(stateDir);

  const f = (n: number) => n.toFixed(1);
  const perConversation = (bytes: number) => `${(bytes / CHATS / 1024).toFixed(1)} KiB`;
  const heapGrowth = (r.settled.heapMiB - r.warm.heapMiB) * MiB;
  console.log(
    `\n${MESSAGES} messages in ${(r.ms / 1000).toFixed(1)} s (${((MESSAGES / r.ms) * 1000).toFixed(0)} msg/s), answered exactly once: ${once}; pipeline ${JSON.stringify(r.stats)}\n`,
  );
  console.log('| gateway process (after GC) | RSS (MiB) | heap used (MiB) |');
  console.log('|---|---:|---:|');
  console.log(`| started | ${f(r.started.rssMiB)} | ${f(r.started.heapMiB)} |`);
  console.log(`| after ${WARMUP} warm-up messages | ${f(r.warm.rssMiB)} | ${f(r.warm.heapMiB)} |`);
  console.log(`| after ${MESSAGES / 2} messages | ${f(r.half.rssMiB)} | ${f(r.half.heapMiB)} |`);
  console.log(`| after ${MESSAGES} messages | ${f(r.after.rssMiB)} | ${f(r.after.heapMiB)} |`);
  console.log(`| 5 s later | ${f(r.settled.rssMiB)} | ${f(r.settled.heapMiB)} |`);
  console.log(
    `\nsession data on disk: ${f(r.sessionsBytes / MiB)} MiB in ${r.sessionFiles} files (${perConversation(r.sessionsBytes)} a conversation); whole state dir ${f(r.stateBytes / MiB)} MiB`,
  );
  console.log(
    `heap growth from warm-up to the end: ${f(heapGrowth / MiB)} MiB (${(heapGrowth / CHATS).toFixed(0)} bytes a conversation; the session data itself is ${perConversation(r.sessionsBytes)} a conversation, on disk)`,
  );
  const ok = once === MESSAGES && heapGrowth < r.sessionsBytes;
  console.log(ok ? '\nsoak: OK' : '\nsoak: CHECK (see above)');
  process.exitCode = ok ? 0 : 1;
}

if (process.env.SOAK_CHILD) await child();
else {
  process.env.KRABKRAB_DIST_ENTRY ??= resolve('dist/index.js');
  await parent();
}
