import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from './run-in-process';

const dirs: string[] = [];
let previousCwd: string;
beforeAll(() => {
  // Doctor reads fly.toml from the working dir; the repo's own must not leak into these cases.
  previousCwd = process.cwd();
  const cwd = tempStateDir('krab-doctor-cwd-');
  dirs.push(cwd);
  process.chdir(cwd);
});
afterAll(() => {
  process.chdir(previousCwd);
  for (const dir of dirs.splice(0)) removeDir(dir);
});
afterEach(() => {
  for (const dir of dirs.splice(1)) removeDir(dir);
});

function stateWith(config: unknown): NodeJS.ProcessEnv {
  const dir = tempStateDir('krab-doctor-cli-');
  dirs.push(dir);
  writeFileSync(join(dir, 'krabkrab.json'), JSON.stringify(config));
  return { krabkrab_STATE_DIR: dir, PATH: process.env.PATH };
}

describe('krabkrab doctor', () => {
  it('prints one line per finding with its fix, and exits 0 when there are only warnings', async () => {
    const result = await cli(['doctor'], stateWith({ gateway: { mode: 'local' } }));
    expect(result.code, result.stdout).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^krabkrab doctor: state dir .*, config .*krabkrab\.json$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ok {4}node: Node v\d+\.\d+\.\d+ satisfies engines >=/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^WARN {2}providers: no model configured.* -> fix: krabkrab config set agents\.defaults\.model\.primary/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^WARN {2}channels: no channel configured/));
    expect(lines.at(-1)).toMatch(/^no errors, \d+ warning\(s\)$/);
  });

  it('exits 1 when the gateway would not start', async () => {
    const result = await cli(['doctor'], stateWith({ gateway: { mode: 'local', port: 'x' } }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR config: .*gateway\.port: expected number, got string/m);
    expect(result.stdout).toMatch(
      /\d error\(s\), \d+ warning\(s\): the gateway would not start or would be unsafe/,
    );
  });

  it('--json prints one object', async () => {
    const result = await cli(['doctor', '--json'], stateWith({ gateway: { mode: 'local', bind: 'lan' } }));
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: false,
      errors: 1,
      stateDir: expect.any(String),
      configPath: expect.any(String),
    });
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        check: 'token',
        level: 'error',
        fix: expect.stringMatching(/krabkrab_GATEWAY_TOKEN/),
      }),
    );
    expect(report.warnings).toBe(report.checks.filter((c: { level: string }) => c.level === 'warn').length);
  });

  it('rejects unknown flags and arguments with exit 2', async () => {
    expect((await cli(['doctor', '--nope'], {})).code).toBe(2);
    expect((await cli(['doctor', 'extra'], {})).code).toBe(2);
  });
});
