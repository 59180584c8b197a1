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

/** `node dist/index.js doctor <args>` from a working dir holding the guide's fly.toml. */
function doctorIn(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: string[] = ['--json'],
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST_ENTRY, 'doctor', ...args], {
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
      resolve({ code, stdout });
    });
  });
}

const lines = (checks: Array<{ level: string; check: string; message: string }>) =>
  checks.map((c) => `${c.level} ${c.check}: ${c.message}`);

describe('krabkrab doctor (built CLI, in a folder holding the guide fly.toml)', () => {
  const cwd = tempStateDir('krab-doctor-e2e-cwd-');
  const state = tempStateDir('krab-doctor-e2e-state-');
  dirs.push(cwd, state);
  copyFileSync(fileURLToPath(new URL('../../fly.toml', import.meta.url)), join(cwd, 'fly.toml'));
  writeFileSync(join(state, 'krabkrab.json'), JSON.stringify({ gateway: { mode: 'local' } }));

  it('checks this machine (loopback, 18789) and exits 0 on a good local setup', async () => {
    const local = await doctorIn(cwd, cleanEnv({ krabkrab_STATE_DIR: state }));
    const report = JSON.parse(local.stdout);
    expect(local.code, local.stdout).toBe(0);
    expect(report).toMatchObject({ ok: true, errors: 0 });
    expect(report.fly).toBeUndefined();
    expect(lines(report.checks)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ok node: Node v\d+\.\d+\.\d+ satisfies engines >=/),
        'ok port: the gateway would listen on port 18789 (default)',
        expect.stringMatching(/^(ok|warn) bind: the gateway would listen on 127\.0\.0\.1/),
        expect.stringMatching(/^info fly: .*fly\.toml describes a deployment, not this machine/),
      ]),
    );
  });

  it('--fly adds the deployment section apart; FLY_APP_NAME without a token is an error there', async () => {
    const asked = await doctorIn(cwd, cleanEnv({ krabkrab_STATE_DIR: state }), ['--fly', 'fly.toml']);
    expect(asked.code, asked.stdout).toBe(0);
    const [local, fly] = asked.stdout.split(/\n\ndeployment described by fly\.toml \(/);
    expect(local).toMatch(/port: the gateway would listen on port 18789 \(default\)/);
    expect(fly).toMatch(/^.*fly\.toml\):\nok {4}bind: the process command binds lan \(0\.0\.0\.0\)\n/);
    expect(fly).toMatch(
      /ok {4}port: the gateway would listen on port 3000 \(--port\), matching internal_port/,
    );

    const onFly = await doctorIn(cwd, cleanEnv({ krabkrab_STATE_DIR: state, FLY_APP_NAME: 'krab' }));
    expect(onFly.code).toBe(1);
    const report = JSON.parse(onFly.stdout);
    expect(lines(report.fly.checks)).toContainEqual(
      expect.stringMatching(/^error token: bind lan without a gateway token: the gateway refuses to start/),
    );
    const withToken = await doctorIn(
      cwd,
      cleanEnv({ krabkrab_STATE_DIR: state, FLY_APP_NAME: 'krab', krabkrab_GATEWAY_TOKEN: 'f'.repeat(64) }),
    );
    expect(withToken.code, withToken.stdout).toBe(0);
  });
});
