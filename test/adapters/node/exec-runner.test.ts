import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { killAllCommands, runCommand } from '../../../src/adapters/node/exec-runner';
import type { ExecRequest } from '../../../src/core/agent/exec/types';
import { alive, childrenOf } from '../../helpers/processes';

const dir = mkdtempSync(join(tmpdir(), 'krab-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = (command: string, extra: Partial<ExecRequest> = {}): ExecRequest => ({
  command,
  cwd: join(dir, 'ws'),
  env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: join(dir, 'ws') },
  timeoutMs: 10_000,
  maxOutputBytes: 4096,
  ...extra,
});

async function gone(pids: number[]): Promise<boolean> {
  // Bounded: SIGKILL is delivered at once, the kernel may take a moment to tear the processes down.
  for (let i = 0; i < 50; i++) {
    if (pids.every((pid) => !alive(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('exec runner (node)', () => {
  it('runs sh -c in the workspace (created when missing) and returns the exit code', async () => {
    const result = await runCommand(request('pwd; echo "home=$HOME"; echo oops >&2; exit 3'));
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain(join(dir, 'ws'));
    expect(result.output).toContain(`home=${join(dir, 'ws')}`);
    expect(result.output).toContain('oops');
    expect(result).toMatchObject({ timedOut: false, killed: false, droppedBytes: 0 });
  });

  it('passes only the env it is given', async () => {
    process.env.KRAB_TEST_SECRET = 'do-not-leak';
    try {
      const result = await runCommand(request('echo "[$KRAB_TEST_SECRET][$HOME]"; env | wc -l'));
      expect(result.output).toContain(`[][${join(dir, 'ws')}]`);
    } finally {
      delete process.env.KRAB_TEST_SECRET;
    }
  });

  it('kills the shell and the child it forked on timeout', async () => {
    const result = await runCommand(request('echo $$; sleep 30 & echo $!; sleep 30', { timeoutMs: 300 }));
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    const pids = result.output.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    expect(await gone(pids)).toBe(true);
  });

  it('kills what the shell left in the background when it exits', async () => {
    const result = await runCommand(request('sleep 30 & echo $!'));
    expect(result.exitCode).toBe(0);
    expect(await gone([Number(result.output.trim())])).toBe(true);
  });

  it('keeps the last bytes of 100 MB of output, with memory bounded', async () => {
    const before = process.memoryUsage().rss;
    const result = await runCommand(
      request("head -c 104857600 /dev/zero | tr '\\0' x; echo; echo the-end", { maxOutputBytes: 8192 }),
    );
    const grown = process.memoryUsage().rss - before;
    expect(result.exitCode).toBe(0);
    expect(Buffer.byteLength(result.output)).toBe(8192);
    expect(result.output.endsWith('\nthe-end\n')).toBe(true);
    expect(result.droppedBytes).toBe(104857600 + 9 - 8192);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });

  it('is killed with its children on abort and on killAllCommands', async () => {
    // The shell writes its pid to a file, then starts `sleep`: both are seen running before the kill.
    const started = async (file: string) =>
      vi.waitFor(() => {
        const shell = Number(readFileSync(join(dir, 'ws', file), 'utf8'));
        const sleeper = childrenOf(shell)[0];
        if (!shell || sleeper === undefined) throw new Error(`${file}: the command has not started yet`);
        return [shell, sleeper];
      }, 5_000);
    const controller = new AbortController();
    const aborted = runCommand(request('echo $$; echo $$ > a.pid; sleep 30', { signal: controller.signal }));
    const first = await started('a.pid');
    controller.abort();
    const result = await aborted;
    expect(result.killed).toBe(true);
    expect(Number(result.output.trim())).toBe(first[0]);
    expect(await gone(first)).toBe(true);

    const stopped = runCommand(request('echo $$; echo $$ > b.pid; sleep 30'));
    const second = await started('b.pid');
    killAllCommands();
    const last = await stopped;
    expect(last.killed).toBe(true);
    expect(Number(last.output.trim())).toBe(second[0]);
    expect(await gone(second)).toBe(true);
  });
});
