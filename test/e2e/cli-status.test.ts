import { describe, expect, it } from 'vitest';
import { cleanupAfterAll } from '../helpers/cleanup';
import { cleanEnv, runCli, startGateway, tempStateDir } from '../helpers/gateway-process';

const { dirs, gateways } = cleanupAfterAll();

describe('krabkrab status', () => {
  it('says clearly that no gateway runs, exit 1', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const result = await runCli(['status'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no gateway is running on state dir .*; start one with: krabkrab gateway/);
    const json = await runCli(['status', '--json'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ running: false });
  });

  it('asks the running gateway over WS with the token from the state dir, then says when it has stopped', async () => {
    const gateway = await startGateway();
    gateways.push(gateway);
    dirs.push(gateway.stateDir);
    const env = cleanEnv({ krabkrab_STATE_DIR: gateway.stateDir });
    const human = await runCli(['status'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^gateway running: PID ${gateway.child.pid}, version \\S+, ready, up `, 'm'),
    );
    expect(human.stdout).toContain(
      `listening on ws://127.0.0.1:${gateway.port} (bind loopback), state dir ${gateway.stateDir}`,
    );
    // Readable lines, not JSON blobs.
    expect(human.stdout).toMatch(
      /^agents: \d+ \(default \S+\), runs 0 running, 0 waiting \(at most \d+ at once\)$/m,
    );
    expect(human.stdout).toMatch(/^messages: 0 accepted, 0 replied, /m);
    expect(human.stdout).not.toMatch(/[{}[\]"]/);
    const json = await runCli(['status', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      running: true,
      pid: gateway.child.pid,
      port: gateway.port,
      phase: 'ready',
    });

    const wrong = await runCli(['status', '--token', 'not-the-token-0000000'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      new RegExp(`gateway PID ${gateway.child.pid} holds the lock .* did not answer`),
    );

    await gateway.stop();
    const after = await runCli(['status'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/no gateway is running/);
  }, 40_000);

  it('uses krabkrab_GATEWAY_TOKEN from env for a gateway started with it', async () => {
    const token = 'e2e-status-token-0123456789abcdef';
    const gateway = await startGateway({ env: { krabkrab_GATEWAY_TOKEN: token } });
    gateways.push(gateway);
    dirs.push(gateway.stateDir);
    const ok = await runCli(
      ['status', '--json'],
      cleanEnv({ krabkrab_STATE_DIR: gateway.stateDir, krabkrab_GATEWAY_TOKEN: token }),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain(token);
    await gateway.stop();
  });
});
