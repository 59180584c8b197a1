import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, DIST_ENTRY, removeDir, tempStateDir } from '../helpers/gateway-process';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** `node dist/index.js doctor --json` from a working dir holding the guide's fly.toml. */
function doctorIn(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; report: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST_ENTRY, 'doctor', '--json'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, report: JSON.parse(stdout) });
    });
  });
}

describe('krabkrab doctor (built CLI, the guide deployment)', () => {
  it('finds the missing gateway token for --bind lan, and passes once it is set', async () => {
    const cwd = tempStateDir('krab-doctor-e2e-cwd-');
    const state = tempStateDir('krab-doctor-e2e-state-');
    dirs.push(cwd, state);
    copyFileSync(fileURLToPath(new URL('../../fly.toml', import.meta.url)), join(cwd, 'fly.toml'));
    writeFileSync(join(state, 'krabkrab.json'), JSON.stringify({ gateway: { mode: 'local' } }));

    const without = await doctorIn(cwd, cleanEnv({ krabkrab_STATE_DIR: state }));
    expect(without.code).toBe(1);
    const lines = without.report.checks.map(
      (c: { level: string; check: string; message: string }) => `${c.level} ${c.check}: ${c.message}`,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ok node: Node v\d+\.\d+\.\d+ satisfies engines >=/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^error token: bind lan \(0\.0\.0\.0\) without a gateway token/),
    );
    expect(lines).toContainEqual(
      'ok port: the gateway would listen on port 3000 (fly.toml --port), matching fly.toml internal_port',
    );

    const withToken = await doctorIn(
      cwd,
      cleanEnv({ krabkrab_STATE_DIR: state, krabkrab_GATEWAY_TOKEN: 'f'.repeat(64) }),
    );
    expect(withToken.code, JSON.stringify(withToken.report.checks)).toBe(0);
    expect(withToken.report).toMatchObject({ ok: true, errors: 0 });
  });
});
