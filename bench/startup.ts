import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort as freePort } from '../src/adapters/node/free-port';
import { median, rssMiB, sleep, stop, timeToFirst200 } from './lib';

export interface StartupFigures {
  baselineStartMs: number;
  gatewayStartMs: number;
  baselineIdleRssMiB: number;
  gatewayIdleRssMiB: number;
}

export interface GatewaySetup {
  config: Record<string, unknown>;
  env: Record<string, string>;
}

/**
 * Spawn → first 200 on /health (median of `runs`) and RSS after `idleMs` idle (median of the
 * last `idleSamples` runs), for a bare node:http server and for the gateway, side by side so
 * machine noise hits both alike.
 */
export async function measureStartup(
  setup: GatewaySetup,
  runs = 10,
  idleMs = 5000,
  idleSamples = 3,
): Promise<StartupFigures> {
  const stateRoot = mkdtempSync(join(tmpdir(), 'krab-bench-'));
  const baseline: number[] = [];
  const gateway: number[] = [];
  const baseEnv = { PATH: process.env.PATH, HOME: stateRoot };
  // Idle RSS after a start is bimodal (±8 MiB, by when V8 last collected), so the last
  // `idleSamples` runs also idle and sample both processes at the same moment: the median is kept.
  const bareRss: number[] = [];
  const gatewayRss: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      const bare = await timeToFirst200(
        [process.execPath, 'bench/baseline-server.mjs', String(port)],
        `http://127.0.0.1:${port}/health`,
        baseEnv,
      );
      baseline.push(bare.ms);
      const gw = await startGatewayFor(setup, join(stateRoot, `run-${i}`), await freePort(), baseEnv);
      gateway.push(gw.ms);
      if (i >= runs - idleSamples) {
        await sleep(idleMs);
        bareRss.push(rssMiB(bare.child.pid!));
        gatewayRss.push(rssMiB(gw.child.pid!));
      }
      await stop(bare.child);
      await stop(gw.child);
    }
    return {
      baselineStartMs: median(baseline),
      gatewayStartMs: median(gateway),
      baselineIdleRssMiB: median(bareRss),
      gatewayIdleRssMiB: median(gatewayRss),
    };
  } finally {
    rmSync(stateRoot, { recursive: true, force: true });
  }
}

async function startGatewayFor(
  setup: GatewaySetup,
  stateDir: string,
  port: number,
  baseEnv: NodeJS.ProcessEnv,
) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(setup.config));
  return timeToFirst200(
    [process.execPath, 'dist/index.js', 'gateway', '--port', String(port)],
    `http://127.0.0.1:${port}/health`,
    { ...baseEnv, ...setup.env, krabkrab_STATE_DIR: stateDir },
  );
}
