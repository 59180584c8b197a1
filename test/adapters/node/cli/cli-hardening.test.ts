// Cases the CLI fuzz (test/fuzz/cli-args.test.ts) found: each ended in "unexpected error" (an
// exception the command did not mean to throw) instead of a clear line and a meaningful exit code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-in-process';

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'krab-cli-hard-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('CLI hardening', () => {
  it.each([
    ['constructor', 'call'],
    ['valueOf', 'call'],
    ['__proto__', 'constructor'],
    ['toString', 'apply'],
  ])('channels %s %s is an unknown channel action (exit 2), not a crash', async (first, second) => {
    const result = await cli(['channels', first, second], { krabkrab_STATE_DIR: stateDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown channel action/);
  });

  it('voicecall --url that is not a ws:// URL is a usage error naming the flag', async () => {
    const result = await cli(['voicecall', 'list', '--url=call'], { krabkrab_STATE_DIR: stateDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--url must be a ws:\/\/ or wss:\/\/ URL/);
  });

  it("a core error (no such cron job) is reported as itself, not as 'unexpected error'", async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'krabkrab.json'), '{"gateway":{"mode":"local"}}');
    const result = await cli(['cron', 'runs', 'nope'], { krabkrab_STATE_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^krabkrab cron: no cron job "nope"/);
    expect(result.stderr).not.toMatch(/unexpected error/);
  });

  it('backup into a folder that does not exist, and of an empty state dir, say so', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'krabkrab.json'), '{}');
    const missing = await cli(['backup', join(dir, 'no', 'such', 'dir', 'b.tar.gz')], {
      krabkrab_STATE_DIR: dir,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot write .*b\.tar\.gz: ENOENT/);
    const empty = await cli(['backup', join(stateDir(), 'b.tar.gz')], { krabkrab_STATE_DIR: stateDir() });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/is empty: nothing to back up/);
  });
});
