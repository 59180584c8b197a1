import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { ExecRequest, ExecResult } from '../../core/agent/exec/types';

/** After the shell exits, how long its pipes may stay open (a child that left the group) before we stop reading. */
const CLOSE_GRACE_MS = 1000;

/** Process groups of the commands running now; killed with the gateway. */
const running = new Map<number, () => void>();

function killGroup(pid: number): void {
  try {
    // The negative pid is the whole group: the shell and every child it forked.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

// A crash or exit of the gateway must not leave commands behind. Synchronous: 'exit' allows nothing else.
process.once('exit', () => {
  for (const pid of running.keys()) killGroup(pid);
});

/** Kills every running command (gateway shutdown); their runs end with `killed`. */
export function killAllCommands(): void {
  for (const kill of [...running.values()]) kill();
}

/** Runs `sh -c <command>` in its own process group with a minimal env, a timeout and a bounded output tail. */
export async function runCommand(request: ExecRequest): Promise<ExecResult> {
  await mkdir(request.cwd, { recursive: true });
  const started = performance.now();
  return new Promise((resolve) => {
    const tail = createTail(request.maxOutputBytes);
    let timedOut = false;
    let killed = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let done = false;
    const child = spawn('/bin/sh', ['-c', request.command], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const kill = () => {
      killed = true;
      if (pid !== undefined) killGroup(pid);
    };
    if (pid !== undefined) running.set(pid, kill);
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, request.timeoutMs);
    const onAbort = () => kill();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) kill();

    child.stdout.on('data', tail.push);
    child.stderr.on('data', tail.push);

    const finish = (spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) running.delete(pid);
      child.stdout.destroy();
      child.stderr.destroy();
      const { text, dropped } = tail.read();
      resolve({
        exitCode: spawnError ? 127 : (exit?.code ?? null),
        ...(exit?.signal ? { signal: exit.signal } : {}),
        output: spawnError ? `could not start /bin/sh: ${spawnError.message}` : text,
        droppedBytes: dropped,
        timedOut,
        killed: killed && !timedOut,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Whatever the shell left running in its group (`sleep 999 &`) goes with it.
      if (pid !== undefined) killGroup(pid);
      setTimeout(() => finish(), CLOSE_GRACE_MS).unref();
    });
    child.on('close', () => finish());
  });
}

/** Keeps the last `max` bytes of a stream in memory, whatever its length. */
function createTail(max: number) {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  return {
    push(chunk: Buffer) {
      total += chunk.length;
      chunks.push(chunk);
      kept += chunk.length;
      while (chunks.length > 1 && kept - chunks[0]!.length >= max) kept -= chunks.shift()!.length;
    },
    read(): { text: string; dropped: number } {
      const all = Buffer.concat(chunks);
      const slice = all.length > max ? all.subarray(all.length - max) : all;
      // A cut through a multi-byte character shows as one U+FFFD at the start, which is honest.
      return { text: slice.toString('utf8'), dropped: total - slice.length };
    },
  };
}
