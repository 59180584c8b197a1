import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../core/log/logger';
import { systemClock } from '../../../core/runtime/clock';
import { sleep } from '../../../core/runtime/sleep';

/** The JVM needs a while: signal-cli's HTTP endpoint is waited for this long. */
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

export interface SignalDaemon {
  url: string;
  pid: number | undefined;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<string>;
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts `signal-cli -a <account> daemon --http 127.0.0.1:<port>` and resolves once its
 * `/api/v1/check` answers. Its output goes to the log (debug; warnings and errors visible).
 * A missing executable or an early exit rejects with a reason the owner can act on.
 */
export async function startSignalDaemon(options: {
  cliPath: string;
  account: string;
  port: number;
  log: Logger;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}): Promise<SignalDaemon> {
  const { log } = options;
  const address = `127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(options.cliPath, ['-a', options.account, 'daemon', '--http', address], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env,
  });
  const tail: string[] = [];
  let exitedCode: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      exitedCode = error.code === 'ENOENT' ? 'ENOENT' : error.message;
      resolve(exitedCode);
    });
    child.once('exit', (code, sig) => {
      exitedCode = code !== null ? `exit code ${code}` : `signal ${sig}`;
      resolve(exitedCode);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 5) tail.shift();
      if (/\b(WARN|ERROR)\b/.test(line)) log.warn(`signal-cli: ${line}`);
      else log.debug(`signal-cli: ${line}`);
    });
  }
  const url = `http://${address}`;
  const daemon: SignalDaemon = {
    url,
    pid: child.pid,
    exited,
    alive: () => exitedCode === undefined,
    async stop() {
      if (exitedCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (exitedCode === undefined && !options.signal.aborted && Date.now() < deadline) {
    const ok = await fetch(`${url}/api/v1/check`, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return daemon;
    await Promise.race([exited, sleep(systemClock, 200, options.signal)]);
  }
  await daemon.stop();
  if (exitedCode === 'ENOENT')
    throw new Error(
      `${options.cliPath} not found: install signal-cli (the Docker image: build with --build-arg WITH_SIGNAL=1) or set channels.signal.cliPath`,
    );
  if (options.signal.aborted) throw new Error('stopped');
  const last = tail.length ? `; last output: ${tail.join(' | ').slice(0, 400)}` : '';
  throw new Error(
    exitedCode !== undefined && exitedCode !== 'signal SIGTERM'
      ? `signal-cli daemon exited (${exitedCode})${last}`
      : `signal-cli daemon did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s${last}`,
  );
}
