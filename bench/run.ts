// `npm run bench`: the README's figures, each beside a baseline measured in the same run (ratios
// matter: the machine is shared, absolute times are noisy). Every load loop is bounded in count
// and time. Knobs: BENCH_RUNS (starts, default 10), BENCH_REQUESTS (webhook POSTs, 2000),
// BENCH_WS (control requests, 4000), BENCH_TURNS (agent turns, 200), BENCH_WORKERS=0 to skip miniflare.
import { cpus, loadavg } from 'node:os';
import { measureAgentTurns } from './agent';
import { measureCompaction } from './compaction';
import { startGuideSetup } from './guide-setup';
import { BENCH_NODE, benchNodeVersion, table } from './lib';
import { mcpSkillsRows, measureMcpSkills } from './mcp-skills';
import { measureMemorySearch } from './memory-search';
import { measureSizes } from './sizes';
import { measureStartup } from './startup';
import { measureTelegramAcks } from './webhook-acks';
import { measureWorkers } from './workers';
import { measureWsRoundTrip } from './ws-roundtrip';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
const wsRequests = Number(process.env.BENCH_WS ?? 4000);
const turns = Number(process.env.BENCH_TURNS ?? 200);
const withWorkers = process.env.BENCH_WORKERS !== '0';
const concurrency = 16;

const { setup: guideSetup, telegram, close: closeFakes } = await startGuideSetup();

const loadBefore = loadavg()[0]!;
const step = (name: string) => process.stderr.write(`[bench] ${name}\n`);
step(`start and idle RSS (${runs} runs)`);
const startup = await measureStartup(guideSetup, runs);
step(`Telegram webhook acks (${requests} POSTs, concurrency ${concurrency})`);
const acks = await measureTelegramAcks(telegram, requests, concurrency);
step(`WS control round trips (${wsRequests})`);
const ws = await measureWsRoundTrip(wsRequests);
step(`agent turns (${turns})`);
const agent = await measureAgentTurns({ turns, loadMessages: 0 });
step('memory search over 10,000 notes');
const memorySearch = await measureMemorySearch(10_000, 200);
step('MCP servers and skills configured vs the guide config');
const mcpSkills = await measureMcpSkills(guideSetup, Math.min(runs, 5));
step('compaction');
const compaction = await measureCompaction(Number(process.env.BENCH_COMPACTIONS ?? 40));
step('sizes');
const sizes = measureSizes();
const nodeBundleGzipKiB = sizes.bundleGzipKiB;
let workers: Awaited<ReturnType<typeof measureWorkers>> | undefined;
let workersError: string | undefined;
if (withWorkers) {
  step('Workers build in miniflare');
  try {
    workers = await measureWorkers(telegram, 3, Math.ceil(requests / 2), concurrency);
  } catch (error) {
    workersError = (error as Error).message.split('\n')[0];
  }
}
await closeFakes();

const x = (value: number) => `${value.toFixed(2)}x`;
const ms = (value: number, digits = 0) => `${value.toFixed(digits)} ms`;
console.log(
  `KrabKrab benchmarks: Node ${benchNodeVersion()}${BENCH_NODE === process.execPath ? '' : ` (${BENCH_NODE})`}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}\n`,
);
console.log(
  table([
    {
      measure: `start → first 200 on /health (median of ${runs}; guide config + Telegram, 2 providers)`,
      baseline: 'bare node:http',
      'baseline value': ms(startup.baselineStartMs),
      krabkrab: ms(startup.gatewayStartMs),
      ratio: x(startup.gatewayStartMs / startup.baselineStartMs),
    },
    {
      measure: 'CPU time used by the first 200 on /health (same starts, medians)',
      baseline: 'bare node:http',
      'baseline value': ms(startup.baselineStartCpuMs),
      krabkrab: ms(startup.gatewayStartCpuMs),
      ratio: x(startup.gatewayStartCpuMs / startup.baselineStartCpuMs),
    },
    ...(startup.compileCache
      ? [
          {
            measure: 'start with the compile cache (Node 22+) vs KRABKRAB_COMPILE_CACHE=0, wall / CPU',
            baseline: 'gateway, cache off',
            'baseline value': `${ms(startup.compileCache.withoutMs)} / ${ms(startup.compileCache.withoutCpuMs)}`,
            krabkrab: `${ms(startup.compileCache.withMs)} / ${ms(startup.compileCache.withCpuMs)}`,
            ratio: `${x(startup.compileCache.withMs / startup.compileCache.withoutMs)} / ${x(startup.compileCache.withCpuMs / startup.compileCache.withoutCpuMs)}`,
          },
        ]
      : []),
    {
      measure: 'RSS after 5 s idle (same config)',
      baseline: 'bare node:http',
      'baseline value': `${startup.baselineIdleRssMiB.toFixed(1)} MiB`,
      krabkrab: `${startup.gatewayIdleRssMiB.toFixed(1)} MiB`,
      ratio: x(startup.gatewayIdleRssMiB / startup.baselineIdleRssMiB),
    },
    {
      measure: `Telegram webhook acks/s (secret, normalize, durable spool, 200; ${acks.gateway.n} POSTs, c=${concurrency})`,
      baseline: 'bare hono handler',
      'baseline value': acks.hono.rps.toFixed(0),
      krabkrab: acks.gateway.rps.toFixed(0),
      ratio: x(acks.gateway.rps / acks.hono.rps),
    },
    {
      measure: 'Telegram webhook ack latency p50 / p99',
      baseline: 'bare hono handler',
      'baseline value': `${acks.hono.p50.toFixed(1)} / ${ms(acks.hono.p99, 1)}`,
      krabkrab: `${acks.gateway.p50.toFixed(1)} / ${ms(acks.gateway.p99, 1)}`,
      ratio: `${x(acks.gateway.p50 / acks.hono.p50)} / ${x(acks.gateway.p99 / acks.hono.p99)}`,
    },
    {
      measure: `WS control request round trip p50 / p99 (health, ${ws.gateway.n} one at a time)`,
      baseline: 'bare ws echo',
      'baseline value': `${ws.echo.p50.toFixed(2)} / ${ms(ws.echo.p99, 2)}`,
      krabkrab: `${ws.gateway.p50.toFixed(2)} / ${ms(ws.gateway.p99, 2)}`,
      ratio: `${x(ws.gateway.p50 / ws.echo.p50)} / ${x(ws.gateway.p99 / ws.echo.p99)}`,
    },
    {
      measure: `agent turn p50 / p99 (chat.send → final, fake Anthropic; ${turns} turns)`,
      baseline: '@anthropic-ai/sdk straight',
      'baseline value': `${agent.sdk.p50.toFixed(1)} / ${ms(agent.sdk.p99, 1)}`,
      krabkrab: `${agent.gateway.p50.toFixed(1)} / ${ms(agent.gateway.p99, 1)}`,
      ratio: `+${agent.overheadP50.toFixed(1)} ms / +${agent.overheadP99.toFixed(1)} ms`,
    },
    {
      measure: `agent turn with three tool calls p50 / p99 (current_time, four model calls; ${turns} turns)`,
      baseline: 'the four SDK calls straight',
      'baseline value': `${agent.tools.sdk.p50.toFixed(1)} / ${ms(agent.tools.sdk.p99, 1)}`,
      krabkrab: `${agent.tools.gateway.p50.toFixed(1)} / ${ms(agent.tools.gateway.p99, 1)}`,
      ratio: `+${agent.tools.overheadP50.toFixed(1)} ms / +${agent.tools.overheadP99.toFixed(1)} ms`,
    },
    {
      measure: 'agent turns/s (maxConcurrent 4, 100 sessions)',
      baseline: 'SDK straight, 4 at a time',
      'baseline value': agent.sdk.turnsPerSecond.toFixed(0),
      krabkrab: agent.gateway.turnsPerSecond.toFixed(0),
      ratio: x(agent.gateway.turnsPerSecond / agent.sdk.turnsPerSecond),
    },
    {
      measure: `memory search over ${memorySearch.notes} notes p50 / p99 (memory_search, BM25; first search ${ms(memorySearch.firstMs)}, rescan ${ms(memorySearch.rescanMs)})`,
      baseline: '',
      'baseline value': '',
      krabkrab: `${memorySearch.p50.toFixed(1)} / ${ms(memorySearch.p99, 1)}`,
      ratio: '',
    },
    {
      measure: `a turn that triggers compaction p50 / p99 (summary call + session rewrite, fake Anthropic; ${compaction.samples} each)`,
      baseline: 'the same turn without',
      'baseline value': `${compaction.plain.p50.toFixed(1)} / ${ms(compaction.plain.p99, 1)}`,
      krabkrab: `${compaction.compacting.p50.toFixed(1)} / ${ms(compaction.compacting.p99, 1)}`,
      ratio: `+${compaction.addedP50.toFixed(1)} ms p50 (owner, with the memory flush: +${compaction.ownerAddedP50.toFixed(1)} ms)`,
    },
    {
      measure: 'one durable 4 KiB write (write, fsync, rename) on this disk, p50',
      baseline: '(the floor of a turn: each persists its transcript)',
      'baseline value': '',
      krabkrab: ms(agent.durableWrite.p50, 1),
      ratio: '',
    },
    {
      measure: 'npm package installed (npm pack → npm install -g, offline; no WhatsApp Web)',
      baseline: '',
      'baseline value': '',
      krabkrab: `${sizes.installedMiB.toFixed(1)} MiB, ${sizes.installedFiles} files`,
      ratio: '',
    },
  ]),
);

console.log('');
console.log(table(mcpSkillsRows(mcpSkills)));
console.log('');
if (workers) {
  console.log(
    table([
      {
        measure: 'bundle (raw / gzip)',
        'Node gateway': `dist/index.js + gateway.js + chunks: ${nodeBundleGzipKiB.toFixed(0)} KiB gzip`,
        'Workers (workerd via miniflare)': `dist/worker/index.js: ${workers.rawKiB} KiB / ${workers.gzipKiB} KiB gzip`,
        ratio: '',
      },
      {
        measure: 'first request',
        'Node gateway': `spawn → first 200: ${ms(startup.gatewayStartMs)}`,
        'Workers (workerd via miniflare)': `new Miniflare → first 200 (median of 3): ${ms(workers.firstRequestMs)}`,
        ratio: x(workers.firstRequestMs / startup.gatewayStartMs),
      },
      {
        measure: `Telegram webhook acks/s (c=${concurrency})`,
        'Node gateway': acks.gateway.rps.toFixed(0),
        'Workers (workerd via miniflare)': `${workers.acks.rps.toFixed(0)} (${workers.acks.n} POSTs)`,
        ratio: x(workers.acks.rps / acks.gateway.rps),
      },
      {
        measure: 'Telegram webhook ack p50 / p99',
        'Node gateway': `${acks.gateway.p50.toFixed(1)} / ${ms(acks.gateway.p99, 1)}`,
        'Workers (workerd via miniflare)': `${workers.acks.p50.toFixed(1)} / ${ms(workers.acks.p99, 1)}`,
        ratio: `${x(workers.acks.p50 / acks.gateway.p50)} / ${x(workers.acks.p99 / acks.gateway.p99)}`,
      },
    ]),
  );
} else {
  console.log(
    `Workers build: ${withWorkers ? `not measured (${workersError})` : 'skipped (BENCH_WORKERS=0)'}`,
  );
}
