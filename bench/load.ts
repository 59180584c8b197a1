// Shared load and process helpers for the benchmarks: one HTTP load loop (bounded in count and
// time), spawning a server until a line of its output, and free ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { BENCH_NODE, percentile } from './lib';

export interface LoadFigures {
  /** Requests that got their expected status. */
  n: number;
  rps: number;
  p50: number;
  p99: number;
  /** Wall time of the run, and every latency (to merge interleaved rounds). */
  ms: number;
  latencies: number[];
}

/** Merges rounds of the same target measured in turns with others (noise hits each alike). */
export function mergeRounds(rounds: LoadFigures[]): LoadFigures {
  return figuresOf(
    rounds.flatMap((r) => r.latencies),
    rounds.reduce((sum, r) => sum + r.ms, 0),
  );
}

function figuresOf(latencies: number[], ms: number): LoadFigures {
  return {
    n: latencies.length,
    rps: (latencies.length / ms) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ms,
    latencies,
  };
}

export interface LoadOptions {
  count: number;
  concurrency: number;
  /** Stops early once this much time has passed (figures cover what was sent). */
  timeLimitMs?: number;
  expectStatus?: number;
}

/** POSTs `count` bodies, `concurrency` at a time, each answer must have `expectStatus` (200). */
export async function loadPosts(
  url: string,
  makeRequest: () => { body: string; headers: Record<string, string> },
  options: LoadOptions,
): Promise<LoadFigures> {
  const latencies: number[] = [];
  const deadline = performance.now() + (options.timeLimitMs ?? 60_000);
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < options.count && performance.now() < deadline) {
      sent++;
      const { body, headers } = makeRequest();
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (res.status !== (options.expectStatus ?? 200)) throw new Error(`${url} answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return figuresOf(latencies, performance.now() - started);
}

/** Spawns `node <args>` and resolves once its output matches `pattern` (30 s at most). */
export function spawnUntil(
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<ChildProcess> {
  const child = spawn(BENCH_NODE, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out waiting for ${pattern}:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

export { freeLoopbackPort as freePort } from '../src/adapters/node/free-port';
