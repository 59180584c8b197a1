import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterAll } from '../helpers/cleanup';
import { cleanEnv, runCli, startGateway, tempStateDir } from '../helpers/gateway-process';

const { dirs, gateways } = cleanupAfterAll();

describe('backup and restore with a real gateway', () => {
  it('backs up a running gateway, restores onto a new volume, and the new gateway has the same config and token', async () => {
    const first = await startGateway();
    gateways.push(first);
    dirs.push(first.stateDir);
    const env = cleanEnv({ krabkrab_STATE_DIR: first.stateDir });
    expect((await runCli(['config', 'set', 'agents.defaults.maxConcurrent', '3'], env)).code).toBe(0);
    const token = (await runCli(['token'], env)).stdout.trim();
    const out = join(tempStateDir('krab-e2e-backup-'), 'state.tar.gz');
    dirs.push(join(out, '..'));
    const backup = await runCli(['backup', out], env);
    expect(backup.code, backup.stderr).toBe(0);

    const volume = tempStateDir('krab-e2e-restore-');
    dirs.push(volume);
    const newEnv = cleanEnv({ krabkrab_STATE_DIR: volume });
    const refused = await runCli(['restore', out], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/a gateway is running/);
    const restore = await runCli(['restore', out], newEnv);
    expect(restore.code, restore.stderr).toBe(0);

    const second = await startGateway({ stateDir: volume });
    gateways.push(second);
    expect(second.output()).not.toMatch(/wrote a minimal config|generated a gateway token/);
    expect((await runCli(['token'], newEnv)).stdout.trim()).toBe(token);
    expect((await runCli(['config', 'get', 'agents.defaults.maxConcurrent'], newEnv)).stdout.trim()).toBe(
      '3',
    );
    const status = await runCli(['status', '--json'], newEnv);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, stateDir: volume });
    // Two gateway starts and nine CLI runs: give a loaded machine room (each is well under a second when idle).
  }, 60_000);
});
