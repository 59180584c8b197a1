import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindCheck, portCheck } from '../../../../src/adapters/node/doctor/check-network';
import { commandFlags } from '../../../../src/adapters/node/doctor/fly-toml';
import { runDoctor } from '../../../../src/adapters/node/doctor/run';
import { cleanupCases, doctorCase, levels, liveGatewayLock } from './doctor-case';

const flyToml = (command: string, internalPort = 3000) =>
  `app = "x"\n[env]\n  krabkrab_STATE_DIR = "/data"\n[processes]\n  app = "${command}"\n[http_service]\n  internal_port = ${internalPort}\n`;
const GUIDE_COMMAND = 'node dist/index.js gateway --allow-unconfigured --port 3000 --bind lan';
const TOKEN = { krabkrab_GATEWAY_TOKEN: 'a'.repeat(32) };

afterEach(cleanupCases);

describe('doctor: bind and token (this machine)', () => {
  it('errs on a non-loopback bind without a token, naming krabkrab_GATEWAY_TOKEN', async () => {
    const results = await doctorCase({ config: { gateway: { bind: 'lan' } } }).run(bindCheck);
    expect(results[1]).toMatchObject({
      check: 'token',
      level: 'error',
      message: expect.stringMatching(/without a gateway token: the gateway refuses to start/),
    });
    expect(results[1]?.fix).toMatch(/krabkrab_GATEWAY_TOKEN/);
    const fromConfig = await doctorCase({
      config: { gateway: { bind: 'lan', auth: { token: '${GW_TOKEN}' } } },
      env: { GW_TOKEN: 'b'.repeat(40) },
    }).run(bindCheck);
    expect(levels(fromConfig)).toEqual(['ok', 'ok']);
  });

  it('only warns about a missing token when a live gateway shows it has one', async () => {
    const c = doctorCase({ flags: { bind: 'lan' } });
    await liveGatewayLock(c.stateDir);
    expect((await c.run(bindCheck))[1]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/running gateway has one/),
    });
  });

  it('treats bind auto as lan inside a container and loopback outside', async () => {
    const config = { gateway: { bind: 'auto' } };
    const inside = await doctorCase({ config, container: true }).run(bindCheck);
    expect(inside.map((r) => `${r.check}:${r.level}`)).toEqual(['bind:ok', 'token:error']);
    const outside = await doctorCase({ config, container: false }).run(bindCheck);
    expect(levels(outside)).toEqual(['ok']);
    expect(outside[0]?.message).toMatch(/127\.0\.0\.1/);
  });

  it('warns about a short token and a loopback bind in a container', async () => {
    const results = await doctorCase({
      container: true,
      env: { krabkrab_GATEWAY_TOKEN: 'short' },
      config: { gateway: { bind: 'lan' } },
    }).run(bindCheck);
    expect(results[1]).toMatchObject({ level: 'warn', message: expect.stringMatching(/short/) });
    expect((await doctorCase({ container: true }).run(bindCheck))[0]).toMatchObject({ level: 'warn' });
  });

  it("checks doctor's own --bind, else the running gateway's flags, over the config", async () => {
    const flagged = await doctorCase({
      config: { gateway: { bind: 'lan' } },
      flags: { bind: 'loopback' },
    }).run(bindCheck);
    expect(flagged).toEqual([
      {
        check: 'bind',
        level: 'ok',
        message: 'the gateway would listen on 127.0.0.1 (bind loopback, from --bind of doctor flags)',
      },
    ]);
    const c = doctorCase({ config: { gateway: { port: 9000 } } });
    const child = await liveGatewayLock(c.stateDir);
    mkdirSync(join(c.proc, `${child.pid}`));
    writeFileSync(
      join(c.proc, `${child.pid}`, 'cmdline'),
      ['node', 'dist/index.js', 'gateway', '--port', '4444', ''].join('\0'),
    );
    const [port] = await c.run(portCheck);
    expect(port?.message).toBe(
      `gateway.port says 9000 but --port of the running gateway (PID ${child.pid}) (4444) wins`,
    );
  });
});

describe('doctor: the deployment fly.toml describes (its own section)', () => {
  it('ignores fly.toml in the working dir unless asked or on Fly: a good local setup exits ok', async () => {
    const c = doctorCase({
      fly: flyToml('node dist/index.js gateway --port 3000'),
      config: { gateway: { mode: 'local' } },
    });
    const report = await runDoctor(await c.input(), [bindCheck, portCheck]);
    expect(report.ok).toBe(true);
    expect(report.fly).toBeUndefined();
    expect(report.checks.map((r) => `${r.level} ${r.check}: ${r.message}`)).toEqual([
      'ok bind: the gateway would listen on 127.0.0.1 (bind loopback, from default)',
      'ok port: the gateway would listen on port 18789 (default)',
      expect.stringMatching(
        /^info fly: .*fly\.toml describes a deployment, not this machine; check it with krabkrab doctor --fly$/,
      ),
    ]);
  });

  it('checks fly.toml when asked, apart, and never in place of the local figures', async () => {
    const c = doctorCase({ fly: flyToml('node dist/index.js gateway --port 3000'), askFly: true });
    const report = await runDoctor(await c.input(), [bindCheck, portCheck]);
    expect(levels(report.checks)).toEqual(['ok', 'ok']);
    expect(report.fly?.path).toMatch(/fly\.toml$/);
    expect(report.fly?.checks[0]).toMatchObject({
      check: 'bind',
      level: 'error',
      message: expect.stringMatching(/binds loopback \(no --bind\): .*not listening on the expected address/),
      fix: expect.stringMatching(/--bind lan/),
    });
    expect(report.ok).toBe(false);
    const guide = await doctorCase({ fly: flyToml(GUIDE_COMMAND), askFly: true }).runFly();
    expect(guide.map((r) => `${r.level} ${r.check}`)).toEqual([
      'ok bind',
      'info token',
      'ok port',
      'warn state-dir',
      'ok config',
    ]);
  });

  it('on Fly, reads fly.toml by itself and wants the token in this shell', async () => {
    const env = { FLY_APP_NAME: 'krab' };
    const without = await doctorCase({ fly: flyToml(GUIDE_COMMAND), env }).runFly();
    expect(without[1]).toMatchObject({
      check: 'token',
      level: 'error',
      message: expect.stringMatching(/without a gateway token: the gateway refuses to start/),
    });
    const c = doctorCase({ fly: flyToml(GUIDE_COMMAND), env });
    await liveGatewayLock(c.stateDir);
    expect((await c.runFly())[1]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/running gateway has one/),
    });
    const withToken = await doctorCase({ fly: flyToml(GUIDE_COMMAND), env: { ...env, ...TOKEN } }).runFly();
    expect(withToken[1]).toMatchObject({ level: 'ok' });
  });

  it('errs when the health-checked port is not the one the process command listens on', async () => {
    const [, result] = await doctorCase({
      fly: flyToml('node dist/index.js gateway --bind lan'),
      askFly: true,
    })
      .runFly()
      .then((r) => r.filter((x) => x.check === 'port' || x.check === 'bind'));
    expect(result).toMatchObject({
      level: 'error',
      message:
        'internal_port is 3000 but the gateway would listen on 18789 (default): health checks are refused',
      fix: expect.stringMatching(/--port 3000.*krabkrab_GATEWAY_PORT=3000/),
    });
    const viaEnv = await doctorCase({
      fly: `${flyToml('node dist/index.js gateway --bind lan')}`.replace(
        '[env]\n',
        '[env]\n  krabkrab_GATEWAY_PORT = "3000"\n',
      ),
      askFly: true,
    }).runFly();
    expect(viaEnv.find((r) => r.check === 'port')?.message).toBe(
      'the gateway would listen on port 3000 (krabkrab_GATEWAY_PORT in [env]), matching internal_port',
    );
  });

  it('reports a missing or broken fly.toml as an error of the section', async () => {
    const missing = await doctorCase({ askFly: true }).runFly();
    expect(missing[0]).toMatchObject({
      check: 'fly.toml',
      level: 'error',
      message: expect.stringMatching(/no such file/),
    });
    const broken = await doctorCase({ fly: 'app = [', askFly: true }).runFly();
    expect(broken[0]).toMatchObject({ check: 'fly.toml', level: 'error' });
  });
});

describe('doctor: port', () => {
  it('warns when a lower-precedence port disagrees, and errs on a malformed one', async () => {
    const results = await doctorCase({
      env: { krabkrab_GATEWAY_PORT: '3000' },
      config: { gateway: { port: 8080 } },
    }).run(portCheck);
    expect(results.map((r) => r.level)).toEqual(['warn', 'ok']);
    expect(results[0]?.message).toBe('gateway.port says 8080 but krabkrab_GATEWAY_PORT (3000) wins');
    const bad = await doctorCase({ env: { krabkrab_GATEWAY_PORT: 'http' } }).run(portCheck);
    expect(bad[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/krabkrab_GATEWAY_PORT: expected a port number/),
    });
  });

  it('reads the gateway flags from a process command', () => {
    expect(commandFlags(GUIDE_COMMAND)).toEqual({
      port: '3000',
      bind: 'lan',
      token: undefined,
      stateDir: undefined,
      allowUnconfigured: true,
    });
    expect(commandFlags('krabkrab gateway --port=4000 --bind=loopback')).toMatchObject({
      port: '4000',
      bind: 'loopback',
      allowUnconfigured: false,
    });
  });
});
