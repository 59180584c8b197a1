import { afterEach, describe, expect, it } from 'vitest';
import { bindCheck, portCheck } from '../../../../src/adapters/node/doctor/check-network';
import { commandFlags } from '../../../../src/adapters/node/doctor/fly-toml';
import { cleanupCases, doctorCase, levels, liveGatewayLock } from './doctor-case';

const flyToml = (command: string, internalPort = 3000) =>
  `app = "x"\n[env]\n  krabkrab_STATE_DIR = "/data"\n[processes]\n  app = "${command}"\n[http_service]\n  internal_port = ${internalPort}\n`;
const GUIDE_COMMAND = 'node dist/index.js gateway --allow-unconfigured --port 3000 --bind lan';
const TOKEN = { krabkrab_GATEWAY_TOKEN: 'a'.repeat(32) };

afterEach(cleanupCases);

describe('doctor: bind and token', () => {
  it('errs on a loopback bind when Fly must reach the gateway, and is ok with --bind lan and a token', async () => {
    const loopback = await doctorCase({
      fly: flyToml('node dist/index.js gateway --port 3000'),
      env: TOKEN,
    }).run(bindCheck);
    expect(loopback[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/127\.0\.0\.1.*not listening on the expected address/),
      fix: expect.stringMatching(/--bind lan/),
    });
    const lan = await doctorCase({ fly: flyToml(GUIDE_COMMAND), env: TOKEN }).run(bindCheck);
    expect(levels(lan)).toEqual(['ok', 'ok']);
    expect(lan[0]?.message).toMatch(/0\.0\.0\.0 \(bind lan, from fly\.toml --bind\)/);
  });

  it('errs on a non-loopback bind without a token, naming krabkrab_GATEWAY_TOKEN', async () => {
    const results = await doctorCase({ fly: flyToml(GUIDE_COMMAND) }).run(bindCheck);
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
    const c = doctorCase({ fly: flyToml(GUIDE_COMMAND) });
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

  it('warns about a short token and a loopback bind in a container without fly.toml', async () => {
    const results = await doctorCase({
      container: true,
      env: { krabkrab_GATEWAY_TOKEN: 'short' },
      config: { gateway: { bind: 'lan' } },
    }).run(bindCheck);
    expect(results[1]).toMatchObject({ level: 'warn', message: expect.stringMatching(/short/) });
    expect((await doctorCase({ container: true }).run(bindCheck))[0]).toMatchObject({ level: 'warn' });
  });
});

describe('doctor: port', () => {
  it('is ok when the gateway port is fly.toml internal_port', async () => {
    const [result] = await doctorCase({ fly: flyToml(GUIDE_COMMAND) }).run(portCheck);
    expect(result).toMatchObject({
      level: 'ok',
      message: 'the gateway would listen on port 3000 (fly.toml --port), matching fly.toml internal_port',
    });
    const viaEnv = await doctorCase({
      fly: flyToml('node dist/index.js gateway --bind lan'),
      env: { krabkrab_GATEWAY_PORT: '3000' },
    }).run(portCheck);
    expect(levels(viaEnv)).toEqual(['ok']);
  });

  it('errs when the health-checked port is not the one the gateway listens on', async () => {
    const [result] = await doctorCase({ fly: flyToml('node dist/index.js gateway --bind lan') }).run(
      portCheck,
    );
    expect(result).toMatchObject({
      level: 'error',
      message: expect.stringMatching(
        /internal_port is 3000 but the gateway would listen on 18789 \(default\): health checks are refused/,
      ),
      fix: expect.stringMatching(/--port 3000.*krabkrab_GATEWAY_PORT=3000/),
    });
    const envWrong = await doctorCase({
      fly: flyToml('node dist/index.js gateway --bind lan'),
      env: { KRABKRAB_GATEWAY_PORT: '8080' },
    }).run(portCheck);
    expect(
      envWrong.some((r) => r.level === 'error' && /8080 \(krabkrab_GATEWAY_PORT\)/.test(r.message)),
    ).toBe(true);
  });

  it('warns when a lower-precedence port disagrees, and errs on a malformed one', async () => {
    const results = await doctorCase({
      fly: flyToml(GUIDE_COMMAND),
      config: { gateway: { port: 8080 } },
    }).run(portCheck);
    expect(results.map((r) => r.level)).toEqual(['warn', 'ok']);
    expect(results[0]?.message).toBe('gateway.port says 8080 but fly.toml --port (3000) wins');
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
