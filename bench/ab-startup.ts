// A/B of the gateway's start between builds, in one run: `node scripts/run-ts.mjs bench/ab-startup.ts
// <distA> <distB> [...]` (each a copy of `dist/`). Starts alternate (bare, A, B, bare, B, A, ...) with
// the bench's guide config and fakes, so machine noise hits all alike; prints medians of wall time,
// CPU time to the first 200 on /health, and idle RSS. Knobs: AB_RUNS (default 12), AB_IDLE_MS (0: no
// RSS), AB_CHANNELS=0, BENCH_NODE.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort as freePort } from '../src/adapters/node/free-port';
import { systemClock } from '../src/core/runtime/clock';
import { sleep } from '../src/core/runtime/sleep';
import { startGuideSetup } from './guide-setup';
import { BENCH_NODE, median, rssMiB, stop, timeToFirst200 } from './lib';

const dists = process.argv.slice(2).map((arg) => arg.replace(/^[^:]+/, (dir) => resolve(dir)));
const runs = Number(process.env.AB_RUNS ?? 12);
const idleMs = Number(process.env.AB_IDLE_MS ?? 0);
const guide = await startGuideSetup();
const config = guide.setup.config;
// AB_CHANNELS=0: no channels, so little runs after the server listens and the start itself is compared.
if (process.env.AB_CHANNELS === '0') config.channels = {};
const env = { ...guide.setup.env, ...(process.env.AB_ENV ? JSON.parse(process.env.AB_ENV) : {}) };
const root = mkdtempSync(join(tmpdir(), 'krab-ab-'));
const baseEnv = { PATH: process.env.PATH, HOME: root };
type Sample = { ms: number[]; cpu: number[]; rss: number[] };
const samples = new Map<string, Sample>([['bare', { ms: [], cpu: [], rss: [] }]]);
for (const d of dists) samples.set(d, { ms: [], cpu: [], rss: [] });

async function start(name: string) {
  const port = await freePort();
  if (name === 'bare')
    return timeToFirst200(
      [BENCH_NODE, 'bench/baseline-server.mjs', String(port)],
      `http://127.0.0.1:${port}/health`,
      baseEnv,
    );
  // `dir::--flag --flag` runs that build with Node flags.
  const [dir, flags] = name.split('::') as [string, string | undefined];
  const stateDir = join(root, `state-${dists.indexOf(name)}`);
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config));
  return timeToFirst200(
    [
      BENCH_NODE,
      ...(flags ? flags.split(' ') : []),
      join(dir, 'index.js'),
      'gateway',
      '--port',
      String(port),
    ],
    `http://127.0.0.1:${port}/health`,
    { ...baseEnv, ...env, krabkrab_STATE_DIR: stateDir },
  );
}

try {
  for (const d of dists) await stop((await start(d)).child); // warm-up
  for (let i = 0; i < runs; i++) {
    const order = ['bare', ...(i % 2 ? [...dists].reverse() : dists)];
    const started = [];
    for (const name of order) {
      const r = await start(name);
      samples.get(name)!.ms.push(r.ms);
      samples.get(name)!.cpu.push(r.cpuMs);
      if (idleMs > 0) started.push({ name, child: r.child });
      else await stop(r.child);
    }
    if (idleMs > 0) {
      await sleep(systemClock, idleMs);
      for (const s of started) {
        samples.get(s.name)!.rss.push(rssMiB(s.child.pid!));
        await stop(s.child);
      }
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const bare = samples.get('bare')!;
  for (const [name, s] of samples) {
    const ms = median(s.ms);
    const cpu = median(s.cpu);
    const rss = s.rss.length ? median(s.rss) : Number.NaN;
    console.log(
      `${name.padEnd(28)} wall ${ms.toFixed(0).padStart(5)} ms (${(ms / median(bare.ms)).toFixed(2)}x)  cpu ${cpu
        .toFixed(0)
        .padStart(
          4,
        )} ms (${(cpu / median(bare.cpu)).toFixed(2)}x)  rss ${rss.toFixed(1)} MiB (${(rss / median(bare.rss)).toFixed(2)}x)`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
  await guide.close();
}
