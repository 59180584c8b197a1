import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort as freePort } from '../../src/adapters/node/free-port';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';

const dirs: string[] = [];
const running: GatewayProcess[] = [];
const dir = () => {
  const d = tempStateDir();
  dirs.push(d);
  return d;
};
afterAll(async () => {
  await Promise.all(running.map((g) => g.stop('SIGKILL')));
  dirs.forEach(removeDir);
});

async function start(options: Parameters<typeof startGateway>[0] = {}): Promise<GatewayProcess> {
  const gateway = await startGateway(options);
  running.push(gateway);
  return gateway;
}

function lockFiles(stateDir: string): string[] {
  return readdirSync(stateDir).filter((name) => /^gateway\.[0-9a-f]{8}\.lock$/.test(name));
}

describe('starting the gateway', () => {
  it('runs the guide command: --bind lan with a token listens on 0.0.0.0 and logs the exact line', async () => {
    const gateway = await start({
      args: ['--bind', 'lan'],
      env: { krabkrab_GATEWAY_TOKEN: 'guide-token-123456' },
    });
    expect(gateway.output()).toMatch(
      new RegExp(
        `^\\[gateway\\] listening on ws://0\\.0\\.0\\.0:${gateway.port} \\(PID ${gateway.child.pid}\\)$`,
        'm',
      ),
    );
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(gateway.output()).not.toContain('guide-token-123456');
    expect(await gateway.stop()).toBe(0);
  });

  it('with --allow-unconfigured writes a minimal config, and reads the owner config on restart', async () => {
    const stateDir = dir();
    const first = await start({ stateDir });
    const config = JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8'));
    expect(config.gateway.mode).toBe('local');
    expect(config.meta.lastTouchedVersion).toMatch(/^\d+\.\d+\.\d+/);
    await first.stop();
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      readFileSync(new URL('../fixtures/guide-config.json', import.meta.url)),
    );
    const second = await start({ stateDir, args: ['--bind', 'loopback'] });
    expect(second.output()).not.toContain('wrote a minimal config');
    expect(second.output()).toContain(`listening on ws://127.0.0.1:${second.port}`);
    await second.stop();
  });

  it('exits 78 naming the config path and the flag when there is no config', async () => {
    const stateDir = dir();
    const result = await runCli(['gateway', '--port', '0'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(join(stateDir, 'krabkrab.json'));
    expect(result.stderr).toContain('--allow-unconfigured');
  });

  it('exits 78 with one line per problem for a wrong config, no stack trace', async () => {
    const stateDir = dir();
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      JSON.stringify({ gatway: {}, agents: { defaults: { maxConcurrent: 'four' } } }),
    );
    const result = await runCli(['gateway', '--port', '0'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('gatway: unknown key (did you mean gateway?)');
    expect(result.stderr).toContain('agents.defaults.maxConcurrent: expected number, got string');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 78 for a config that is not JSON and for an unset ${VAR}', async () => {
    const stateDir = dir();
    writeFileSync(join(stateDir, 'krabkrab.json'), '{ "gateway": ');
    const notJson = await runCli(['gateway', '--port', '0'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(notJson.code).toBe(78);
    expect(notJson.stderr).toContain('not valid JSON');
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      '{ "gateway": { "auth": { "token": "${NOT_SET_ANYWHERE}" } } }',
    );
    const unset = await runCli(['gateway', '--port', '0'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(unset.code).toBe(78);
    expect(unset.stderr).toContain('gateway.auth.token: environment variable NOT_SET_ANYWHERE is not set');
  });

  it('refuses a non-loopback bind without a token, naming krabkrab_GATEWAY_TOKEN', async () => {
    const result = await runCli(
      ['gateway', '--allow-unconfigured', '--port', '0', '--bind', 'lan'],
      cleanEnv({ krabkrab_STATE_DIR: dir() }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('krabkrab_GATEWAY_TOKEN');
  });

  it('answers bad and unknown flags with usage and exit 2', async () => {
    const env = cleanEnv({ krabkrab_STATE_DIR: dir() });
    const unknown = await runCli(['gateway', '--prot', '3000'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: krabkrab gateway');
    const badPort = await runCli(['gateway', '--port', 'abc'], env);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port');
    const badBind = await runCli(['gateway', '--allow-unconfigured', '--bind', 'everywhere'], env);
    expect(badBind.code).toBe(2);
    expect(badBind.stderr).toContain('loopback|lan|auto|tailnet|<ip>');
    const noCommand = await runCli(['frobnicate'], env);
    expect(noCommand.code).toBe(2);
    const help = await runCli(['gateway', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--allow-unconfigured');
  });

  it('says clearly when the port is in use (exit 1) and leaves no lock behind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const stateDir = dir();
    const result = await runCli(
      ['gateway', '--allow-unconfigured', '--port', String(port)],
      cleanEnv({ krabkrab_STATE_DIR: stateDir }),
    );
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} is already in use`);
    expect(lockFiles(stateDir)).toEqual([]);
  });

  it('says clearly when the state dir cannot be used', async () => {
    const stateDir = dir();
    const file = join(stateDir, 'a-file');
    writeFileSync(file, 'x');
    const result = await runCli(
      ['gateway', '--allow-unconfigured', '--port', '0'],
      cleanEnv({ krabkrab_STATE_DIR: join(file, 'sub') }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot use state dir');
  });

  it('takes the port from krabkrab_GATEWAY_PORT (either spelling), and --port over env', async () => {
    const lower = await freePort();
    const viaLower = await start({ env: { krabkrab_GATEWAY_PORT: String(lower) } });
    expect(viaLower.port).toBe(lower);
    await viaLower.stop();
    const upper = await freePort();
    const viaUpper = await start({ env: { KRABKRAB_GATEWAY_PORT: String(upper) } });
    expect(viaUpper.port).toBe(upper);
    await viaUpper.stop();
    const flag = await freePort();
    const flagWins = await start({
      env: { krabkrab_GATEWAY_PORT: String(upper) },
      args: ['--port', String(flag)],
    });
    expect(flagWins.port).toBe(flag);
    await flagWins.stop();
  });

  it('generates a loopback token once (0600) and `krabkrab token` prints it alone', async () => {
    const stateDir = dir();
    const gateway = await start({ stateDir });
    const printed = await runCli(['token'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(printed.code).toBe(0);
    const token = printed.stdout.trim();
    expect(printed.stdout).toBe(`${token}\n`);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(stateDir, 'credentials', 'gateway-token')).mode & 0o777).toBe(0o600);
    expect(gateway.output()).not.toContain(token);
    const status = await fetch(`${gateway.url}/api/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    await gateway.stop();
    const again = await start({ stateDir });
    const second = await runCli(['token'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(second.stdout.trim()).toBe(token);
    await again.stop();
  });
});

describe('the lock', () => {
  it('a second gateway on the same state dir refuses with the PID, port and lock path (exit 1)', async () => {
    const stateDir = dir();
    const first = await start({ stateDir });
    const second = await runCli(
      ['gateway', '--allow-unconfigured', '--port', '0'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir }),
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`PID ${first.child.pid}`);
    expect(second.stderr).toContain(`port ${first.port}`);
    expect(second.stderr).toContain(join(stateDir, lockFiles(stateDir)[0]!));
    await first.stop();
  });

  it('after kill -9 the next start takes the stale lock over by itself and says so', async () => {
    const stateDir = dir();
    const first = await start({ stateDir });
    const lock = JSON.parse(readFileSync(join(stateDir, lockFiles(stateDir)[0]!), 'utf8'));
    expect(lock).toMatchObject({ pid: first.child.pid, port: first.port });
    expect(Object.keys(lock)).toEqual(
      expect.arrayContaining(['pid', 'port', 'startedAt', 'hostname', 'bootId']),
    );
    await first.stop('SIGKILL');
    expect(lockFiles(stateDir)).toHaveLength(1);
    const second = await start({ stateDir });
    expect(second.output()).toMatch(
      /\[gateway\] removed stale lock .*gateway\.[0-9a-f]{8}\.lock \(PID \d+, process not running\)/,
    );
    await second.stop();
  });

  it('a lock whose PID is alive but is not a gateway is stale', async () => {
    const stateDir = dir();
    const first = await start({ stateDir });
    const lockPath = join(stateDir, lockFiles(stateDir)[0]!);
    await first.stop('SIGKILL');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    // PID 1 is alive in every container but is not this gateway.
    writeFileSync(lockPath, JSON.stringify({ ...lock, pid: 1, procStart: '1' }));
    const second = await start({ stateDir });
    expect(second.output()).toContain('removed stale lock');
    await second.stop();
  });

  it('SIGTERM exits 0 and removes the lock', async () => {
    const stateDir = dir();
    const gateway = await start({ stateDir });
    expect(lockFiles(stateDir)).toHaveLength(1);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(lockFiles(stateDir)).toEqual([]);
    expect(existsSync(join(stateDir, 'krabkrab.json'))).toBe(true);
  });
});
