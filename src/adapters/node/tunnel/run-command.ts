import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not run at all (ENOENT) or was killed after the timeout. */
  failure?: 'not-found' | 'timeout' | 'error';
}

/** Runs a short-lived command (`tailscale status --json`) to completion, bounded in time. Never throws. */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env, timeout: timeoutMs, maxBuffer: 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (err.code === 'ENOENT') return resolve({ code: null, stdout, stderr, failure: 'not-found' });
        if (err.killed) return resolve({ code: null, stdout, stderr, failure: 'timeout' });
        resolve({
          code: typeof err.code === 'number' ? err.code : null,
          stdout,
          stderr,
          ...(typeof err.code === 'number' ? {} : { failure: 'error' as const }),
        });
      },
    );
  });
}

/** The last meaningful line of a command's output, for an error message. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
