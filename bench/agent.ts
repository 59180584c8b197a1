// `node scripts/run-ts.mjs bench/agent.ts`: agent turn figures over the fake Anthropic server.
//  - overhead per turn: chat.send → final over the gateway, minus the same turn made straight
//    to the fake with @anthropic-ai/sdk (the baseline, measured in the same run);
//  - a turn with three tool calls (current_time, one per round: four model calls) over the gateway,
//    minus the same conversation (tool calls answered) made straight with the SDK;
//  - turns/s with maxConcurrent 4 (baseline: the SDK straight, 4 at a time);
//  - gateway RSS before and after BENCH_MESSAGES (10k) turns over BENCH_SESSIONS (1k) sessions.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type AnthropicSdk from '@anthropic-ai/sdk';
import type WebSocketClass from 'ws';
import { systemClock } from '../src/core/runtime/clock';
import { sleep } from '../src/core/runtime/sleep';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../test/fakes/anthropic-server';
import { BENCH_NODE, median, percentile, rssMiB, stop, table } from './lib';

// scripts/run-ts.mjs bundles this into a temp dir, where bare ESM imports do not resolve;
// its banner's `require` resolves from the repo.
const Anthropic: typeof AnthropicSdk = require('@anthropic-ai/sdk').default;
const WebSocket: typeof WebSocketClass = require('ws');

const TURNS = Number(process.env.BENCH_TURNS ?? 300);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000);
const TOKEN = 'bench-token-0123456789abcdef';
const MODEL = 'claude-bench-1';

/** The frames the bench reads (loosely typed: it only checks a few fields). */
interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  error?: unknown;
  event?: string;
  payload: { runId: string; state: string; message?: string };
}

/** A minimal control client: one pending promise per run id, so 10k turns cost O(1) each. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const replies = new Map<string, (frame: Frame) => void>();
  const finals = new Map<string, (frame: Frame) => void>();
  let nextId = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'res') replies.get(frame.id)?.(frame);
    else if (frame.event === 'chat' && (frame.payload.state === 'final' || frame.payload.state === 'error'))
      finals.get(frame.payload.runId)?.(frame);
  });
  const request = (method: string, params: unknown) =>
    new Promise<Frame>((resolve) => {
      const id = `b${++nextId}`;
      replies.set(id, (frame) => {
        replies.delete(id);
        resolve(frame);
      });
      socket.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  const hello = await request('connect', { protocol: 1, auth: { token: TOKEN } });
  if (!hello.ok) throw new Error(`connect failed: ${JSON.stringify(hello.error)}`);
  /** One turn: chat.send, then wait for its final event (runId known only after the response, so buffer). */
  const early = new Map<string, Frame>();
  finals.set('*', () => {});
  const turn = async (sessionKey: string, message: string): Promise<void> => {
    const res = await request('chat.send', { sessionKey, message });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    const runId = res.payload.runId;
    const frame = early.get(runId) ?? (await new Promise<Frame>((resolve) => finals.set(runId, resolve)));
    finals.delete(runId);
    early.delete(runId);
    if (frame.payload.state !== 'final') throw new Error(`turn failed: ${frame.payload.message}`);
  };
  // A final can arrive before chat.send's response is read: keep those until asked for.
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (
      frame.event === 'chat' &&
      (frame.payload.state === 'final' || frame.payload.state === 'error') &&
      !finals.has(frame.payload.runId)
    )
      early.set(frame.payload.runId, frame);
  });
  return { turn, request, close: () => socket.close() };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return performance.now() - started;
}

export interface AgentTurnFigures {
  sdk: { p50: number; p99: number; turnsPerSecond: number };
  gateway: { p50: number; p99: number; turnsPerSecond: number };
  durableWrite: { p50: number; p99: number };
  overheadP50: number;
  overheadP99: number;
  /** A turn with three tool calls (four model calls) against the same conversation made straight with the SDK. */
  tools: {
    sdk: { p50: number; p99: number };
    gateway: { p50: number; p99: number };
    overheadP50: number;
    overheadP99: number;
  };
  memory?: { before: number; after: number; settled: number; peak: number; turnsPerSecond: number };
}

/**
 * Starts a gateway over the fake Anthropic and measures; `loadMessages: 0` skips the memory run
 * (npm run bench does: npm run soak covers memory).
 */
export async function measureAgentTurns(
  options: { turns?: number; loadMessages?: number; sessions?: number } = {},
): Promise<AgentTurnFigures> {
  const turns = options.turns ?? TURNS;
  const messages = options.loadMessages ?? MESSAGES;
  const sessions = options.sessions ?? SESSIONS;
  const fake = await startFakeAnthropic();
  const stateDir = mkdtempSync(join(tmpdir(), 'krab-bench-agent-'));
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      agents: {
        defaults: { model: `anthropic/${MODEL}`, maxConcurrent: 4 },
        list: [{ id: 'main', default: true }],
      },
      gateway: { mode: 'local' },
    }),
  );
  const child = spawn(BENCH_NODE, ['dist/index.js', 'gateway', '--port', '0', '--allow-unconfigured'], {
    env: {
      PATH: process.env.PATH,
      HOME: stateDir,
      krabkrab_STATE_DIR: stateDir,
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: fake.origin,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    let port = 0;
    for (let i = 0; i < 400 && !port; i++) {
      port = Number(/listening on ws:\/\/[^:]+:(\d+)/.exec(output)?.[1] ?? 0);
      if (!port) await sleep(systemClock, 50);
    }
    if (!port) throw new Error(`gateway did not start:\n${output}`);
    const client = await connect(`ws://127.0.0.1:${port}`);
    const sdk = new Anthropic({ apiKey: 'sk-ant-bench', baseURL: fake.origin, maxRetries: 0 });
    const direct = async (text: string) => {
      const stream = sdk.messages.stream({
        model: MODEL,
        max_tokens: 256,
        messages: [{ role: 'user', content: text }],
      });
      await stream.finalMessage();
    };

    // Warm both paths (JIT, lazy SDK import in the gateway).
    for (let i = 0; i < 20; i++) {
      await direct('warm up');
      await client.turn('agent:main:bench:warm:up', 'warm up');
    }
    const rssBefore = rssMiB(child.pid!);

    // Overhead per turn: sequential, alternating so noise hits both alike. A third column times one
    // durable write (write, fsync, rename) of a 4 KiB file on the same disk: each turn persists its
    // transcript that way, so it is the floor of the overhead on this machine.
    const viaSdk: number[] = [];
    const viaGateway: number[] = [];
    const durableWrite: number[] = [];
    const probe = join(stateDir, 'probe.json');
    for (let i = 0; i < turns; i++) {
      const w = performance.now();
      const handle = await open(`${probe}.tmp`, 'w');
      await handle.writeFile('x'.repeat(4096));
      await handle.sync();
      await handle.close();
      await rename(`${probe}.tmp`, probe);
      durableWrite.push(performance.now() - w);
      let t = performance.now();
      await direct(`question ${i}`);
      viaSdk.push(performance.now() - t);
      t = performance.now();
      await client.turn(`agent:main:bench:latency:s${i % 20}`, `question ${i}`);
      viaGateway.push(performance.now() - t);
    }

    const tools = await measureToolTurns(fake, client, sdk, turns);

    // Throughput with maxConcurrent 4: 400 turns over 100 sessions, 32 in flight from the client.
    const throughputTurns = Array.from({ length: 400 }, (_, i) => i);
    const gatewayMs = await pool(throughputTurns, 32, (i) =>
      client.turn(`agent:main:bench:tput:s${i % 100}`, `t ${i}`),
    );
    const sdkMs = await pool(throughputTurns, 4, (i) => direct(`t ${i}`));

    const figures: AgentTurnFigures = {
      sdk: { p50: median(viaSdk), p99: percentile(viaSdk, 99), turnsPerSecond: (400 / sdkMs) * 1000 },
      gateway: {
        p50: median(viaGateway),
        p99: percentile(viaGateway, 99),
        turnsPerSecond: (400 / gatewayMs) * 1000,
      },
      durableWrite: { p50: median(durableWrite), p99: percentile(durableWrite, 99) },
      overheadP50: median(viaGateway) - median(viaSdk),
      overheadP99: percentile(viaGateway, 99) - percentile(viaSdk, 99),
      tools,
    };

    // RSS after `messages` turns over `sessions` sessions.
    if (messages > 0) {
      let peak = rssBefore;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB(child.pid!));
      }, 200);
      const loadMs = await pool(
        Array.from({ length: messages }, (_, i) => i),
        32,
        (i) =>
          client.turn(`agent:main:bench:load:s${i % sessions}`, `message ${i} ${'lorem ipsum '.repeat(8)}`),
      );
      clearInterval(sampler);
      const after = rssMiB(child.pid!);
      await sleep(systemClock, 3000);
      figures.memory = {
        before: rssBefore,
        after,
        settled: rssMiB(child.pid!),
        peak,
        turnsPerSecond: (messages / loadMs) * 1000,
      };
    }
    client.close();
    return figures;
  } finally {
    await stop(child);
    await fake.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The text of an Anthropic message's content (a string or blocks). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((block) => block?.type === 'text')
    .map((block) => String(block.text))
    .join('');
}

/** The same turn made straight with the SDK: the fake's tool calls answered with a fixed result. */
async function directToolTurn(sdk: InstanceType<typeof Anthropic>, text: string): Promise<void> {
  const tools = [
    { name: 'current_time', description: 'the time', input_schema: { type: 'object' as const } },
  ];
  const messages: AnthropicSdk.MessageParam[] = [{ role: 'user', content: text }];
  for (let round = 0; round <= TOOL_CALLS; round++) {
    const message = await sdk.messages
      .stream({ model: MODEL, max_tokens: 256, messages, tools })
      .finalMessage();
    const uses = message.content.filter((block) => block.type === 'tool_use');
    if (uses.length === 0) return;
    messages.push(
      { role: 'assistant', content: message.content },
      {
        role: 'user',
        content: uses.map((use) => ({ type: 'tool_result' as const, tool_use_id: use.id, content: 'ok' })),
      },
    );
  }
}

/** Tool calls a "tools" turn makes, one per model round. */
const TOOL_CALLS = 3;

/**
 * Turns whose model calls `current_time` three times, one round each, then answers: four model
 * calls and three tool runs per turn. The baseline makes the same four model calls straight.
 */
async function measureToolTurns(
  fake: FakeLlmServer,
  client: Awaited<ReturnType<typeof connect>>,
  sdk: InstanceType<typeof Anthropic>,
  turns: number,
): Promise<AgentTurnFigures['tools']> {
  fake.setRespond((request) => {
    const messages = (request.body.messages ?? []) as Array<{ role: string; content: unknown }>;
    // The turn starts at the last user message with text (tool results come back as user messages too).
    const start = messages.findLastIndex((m) => m.role === 'user' && textOf(m.content) !== '');
    if (!textOf(messages[start]?.content).startsWith('tools ')) return undefined;
    const rounds = messages.slice(start).filter((m) => m.role === 'assistant').length;
    return rounds < TOOL_CALLS ? reply.tools([{ name: 'current_time', arguments: {} }]) : reply.text('done');
  });
  try {
    for (let i = 0; i < 10; i++) await client.turn(`agent:main:bench:tools:warm${i}`, 'tools warm up');
    const viaSdk: number[] = [];
    const viaGateway: number[] = [];
    for (let i = 0; i < turns; i++) {
      let t = performance.now();
      await directToolTurn(sdk, `tools ${i}`);
      viaSdk.push(performance.now() - t);
      t = performance.now();
      await client.turn(`agent:main:bench:tools:s${i % 20}`, `tools ${i}`);
      viaGateway.push(performance.now() - t);
    }
    const calls = fake.requests.filter((r) =>
      JSON.stringify(r.body).includes('"name":"current_time","input"'),
    ).length;
    if (calls < turns * TOOL_CALLS)
      throw new Error(`tool turns made ${calls} tool calls, expected ${turns * TOOL_CALLS}`);
    return {
      sdk: { p50: median(viaSdk), p99: percentile(viaSdk, 99) },
      gateway: { p50: median(viaGateway), p99: percentile(viaGateway, 99) },
      overheadP50: median(viaGateway) - median(viaSdk),
      overheadP99: percentile(viaGateway, 99) - percentile(viaSdk, 99),
    };
  } finally {
    fake.setRespond(undefined);
  }
}

/** `node scripts/run-ts.mjs bench/agent.ts` prints the figures on its own. */
async function main(): Promise<void> {
  const f = await measureAgentTurns();
  const ms = (n: number) => n.toFixed(2);
  console.log(
    `Agent turns over the fake Anthropic server (Node ${process.version}, ${TURNS} sequential turns, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs)\n`,
  );
  console.log(
    table([
      {
        path: '@anthropic-ai/sdk straight to the fake (baseline)',
        'p50 ms': ms(f.sdk.p50),
        'p99 ms': ms(f.sdk.p99),
      },
      {
        path: 'chat.send → final through the gateway',
        'p50 ms': ms(f.gateway.p50),
        'p99 ms': ms(f.gateway.p99),
      },
      {
        path: 'one durable 4 KiB write (write+fsync+rename), same disk',
        'p50 ms': ms(f.durableWrite.p50),
        'p99 ms': ms(f.durableWrite.p99),
      },
      { path: 'gateway overhead per turn', 'p50 ms': ms(f.overheadP50), 'p99 ms': ms(f.overheadP99) },
      {
        path: `four SDK calls straight (baseline of a ${TOOL_CALLS}-tool turn)`,
        'p50 ms': ms(f.tools.sdk.p50),
        'p99 ms': ms(f.tools.sdk.p99),
      },
      {
        path: `a turn with ${TOOL_CALLS} tool calls through the gateway`,
        'p50 ms': ms(f.tools.gateway.p50),
        'p99 ms': ms(f.tools.gateway.p99),
      },
      {
        path: `gateway overhead per ${TOOL_CALLS}-tool turn`,
        'p50 ms': ms(f.tools.overheadP50),
        'p99 ms': ms(f.tools.overheadP99),
      },
    ]),
  );
  console.log(
    `\nthroughput: ${f.gateway.turnsPerSecond.toFixed(0)} turns/s through the gateway (maxConcurrent 4, 100 sessions); ` +
      `baseline ${f.sdk.turnsPerSecond.toFixed(0)} turns/s with the SDK straight, 4 at a time`,
  );
  if (f.memory)
    console.log(
      `memory: gateway RSS ${f.memory.before.toFixed(1)} MiB after warm-up → ${f.memory.after.toFixed(1)} MiB after ${MESSAGES} turns over ${SESSIONS} sessions ` +
        `(${f.memory.settled.toFixed(1)} MiB 3 s later; peak ${f.memory.peak.toFixed(1)} MiB; ${f.memory.turnsPerSecond.toFixed(0)} turns/s during the load)`,
    );
}

if (process.argv[1]?.endsWith('bench/agent.ts')) await main();
