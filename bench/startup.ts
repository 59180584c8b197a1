import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort as freePort } from '../src/adapters/node/free-port';
import { systemClock } from '../src/core/runtime/clock';
import { sleep } from '../src/core/runtime/sleep';
import { BENCH_NODE, median, rssMiB, stop, timeToFirst200 } from './lib';

export interface StartupFigures {
  baselineStartMs: number;
  gatewayStartMs: number;
  baselineStartCpuMs: number;
  gatewayStartCpuMs: number;
  baselineIdleRssMiB: number;
  gatewayIdleRssMiB: number;
  /** With and without Node's compile cache, alternated (Node 22.1+ only). */
  compileCache?: { withMs: number; withoutMs: number; withCpuMs: number; withoutCpuMs: number };
}

export interface GatewaySetup {
  config: Record<string, unknown>;
  env: Record<string, string>;
}

/** Whether {@link BENCH_NODE} has `module.enableCompileCache` (Node 22.1+), which the gateway then uses. */
function nodeHasCompileCache(): boolean {
  const script = "process.stdout.write(typeof require('node:module').enableCompileCache)";
  return execFileSync(BENCH_NODE, ['-e', script], { encoding: 'utf8' }) === 'function';
}

/**
 * Spawn → first 200 on /health (median of `runs`; wall time and the CPU time used by then) and RSS
 * after `idleMs` idle (median of the last `idleSamples` runs), for a bare node:http server and for
 * the gateway, side by side so machine noise hits both alike. The gateway restarts on one state dir,
 * as it does in production (its compile cache, on Node 22, is then warm after an unmeasured first
 * start); on Node 22 each round also starts it with the cache off, for the A/B.
 */
export async function measureStartup(
  setup: GatewaySetup,
  runs = 10,
  idleMs = 5000,
  idleSamples = 3,
): Promise<StartupFigures> {
  const stateRoot = mkdtempSync(join(tmpdir(), 'krab-bench-'));
  const stateDir = join(stateRoot, 'state');
  const baseEnv = { PATH: process.env.PATH, HOME: stateRoot };
  const abCache = nodeHasCompileCache();
  const baseline = { ms: [] as number[], cpu: [] as number[] };
  const gateway = { ms: [] as number[], cpu: [] as number[] };
  const uncached = { ms: [] as number[], cpu: [] as number[] };
  // Idle RSS after a start is bimodal (±8 MiB, by when V8 last collected), so the last
  // `idleSamples` runs also idle and sample both processes at the same moment: the median is kept.
  const bareRss: number[] = [];
  const gatewayRss: number[] = [];
  try {
    await stop((await startGatewayFor(setup, stateDir, await freePort(), baseEnv)).child); // warm-up
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      const bare = await timeToFirst200(
        [BENCH_NODE, 'bench/baseline-server.mjs', String(port)],
        `http://127.0.0.1:${port}/health`,
        baseEnv,
      );
      baseline.ms.push(bare.ms);
      baseline.cpu.push(bare.cpuMs);
      const gw = await startGatewayFor(setup, stateDir, await freePort(), baseEnv);
      gateway.ms.push(gw.ms);
      gateway.cpu.push(gw.cpuMs);
      if (i >= runs - idleSamples) {
        await sleep(systemClock, idleMs);
        bareRss.push(rssMiB(bare.child.pid!));
        gatewayRss.push(rssMiB(gw.child.pid!));
      }
      await stop(bare.child);
      await stop(gw.child);
      if (abCache) {
        const off = await startGatewayFor(setup, stateDir, await freePort(), {
          ...baseEnv,
          KRABKRAB_COMPILE_CACHE: '0',
        });
        uncached.ms.push(off.ms);
        uncached.cpu.push(off.cpuMs);
        await stop(off.child);
      }
    }
    return {
      baselineStartMs: median(baseline.ms),
      gatewayStartMs: median(gateway.ms),
      baselineStartCpuMs: median(baseline.cpu),
      gatewayStartCpuMs: median(gateway.cpu),
      baselineIdleRssMiB: median(bareRss),
      gatewayIdleRssMiB: median(gatewayRss),
      ...(abCache && {
        compileCache: {
          withMs: median(gateway.ms),
          withoutMs: median(uncached.ms),
          withCpuMs: median(gateway.cpu),
          withoutCpuMs: median(uncached.cpu),
        },
      }),
    };
  } finally {
    rmSync(stateRoot, { recursive: true, force: true });
  }
}

function startGatewayFor(setup: GatewaySetup, stateDir: string, port: number, baseEnv: NodeJS.ProcessEnv) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(setup.config));
  return timeToFirst200(
    [BENCH_NODE, 'dist/index.js', 'gateway', '--port', String(port)],
    `http://127.0.0.1:${port}/health`,
    { ...baseEnv, ...setup.env, krabkrab_STATE_DIR: stateDir },
  );
}
