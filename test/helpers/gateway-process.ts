import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `KRABKRAB_DIST_ENTRY` points the tests at another build (a private one while others rebuild dist/). */
export const DIST_ENTRY =
  process.env.KRABKRAB_DIST_ENTRY ?? fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export function tempStateDir(prefix = 'krab-state-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A clean env for a child gateway: no stray provider keys or tokens from the machine running the tests. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) base[key] = value;
  return base;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/index.js <args>` to completion. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
  input?: string,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [DIST_ENTRY, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`krabkrab ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stateDir: string;
  /** Everything printed so far (stdout and stderr interleaved as lines). */
  output(): string;
  /** Resolves when a printed line matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  stateDir?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Starts the gateway as a user would, on a free loopback port (`--port 0`), and waits for the listening line. */
export async function startGateway(options: StartOptions = {}): Promise<GatewayProcess> {
  const stateDir = options.stateDir ?? tempStateDir();
  const extra = options.args ?? [];
  // `--port 0` (a free port) unless the test picks the port itself, by flag or env.
  const pickPort =
    !extra.includes('--port') && !options.env?.krabkrab_GATEWAY_PORT && !options.env?.KRABKRAB_GATEWAY_PORT;
  const args = ['gateway', ...(pickPort ? ['--port', '0'] : []), '--allow-unconfigured', ...extra];
  const child = spawn(process.execPath, [DIST_ENTRY, ...args], {
    env: cleanEnv({ krabkrab_STATE_DIR: stateDir, ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolvePromise) =>
    child.on('exit', (code) => resolvePromise(code)),
  );

  const waitForLine = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolvePromise, reject) => {
      const check = () => {
        const line = output.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          resolvePromise(line);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then((code) => {
        if (waiters.has(check)) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`gateway exited (${code}) before ${pattern}; output:\n${output}`));
        }
      });
      check();
    });

  const line = await waitForLine(/\[gateway\] listening on ws:\/\//, options.timeoutMs ?? 15_000);
  const port = Number(/:(\d+) \(PID/.exec(line)?.[1]);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stateDir,
    output: () => output,
    waitForLine,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
