import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterAll } from '../helpers/cleanup';
import { cleanEnv, runCli, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

const { dirs, gateways } = cleanupAfterAll();

describe('krabkrab secrets', () => {
  it('stores a secret read from stdin with mode 0600, lists where each is set without values, and unsets it', async () => {
    const state = tempStateDir();
    dirs.push(state);
    const env = cleanEnv({ krabkrab_STATE_DIR: state });
    const secret = 'sk-ant-e2e-stored-0123456789';
    const set = await runCli(['secrets', 'set', 'ANTHROPIC_API_KEY'], env, 15_000, `${secret}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(
      /stored ANTHROPIC_API_KEY in .*credentials\/secrets\/ANTHROPIC_API_KEY \(mode 0600\)/,
    );
    expect(set.stdout).not.toContain(secret);
    const file = join(state, 'credentials', 'secrets', 'ANTHROPIC_API_KEY');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBe(secret);

    const list = await runCli(
      ['secrets', 'list', '--json'],
      cleanEnv({ krabkrab_STATE_DIR: state, TELEGRAM_BOT_TOKEN: '1:env-token-000000' }),
    );
    const rows = JSON.parse(list.stdout).secrets;
    expect(rows).toContainEqual(
      expect.objectContaining({ name: 'ANTHROPIC_API_KEY', env: false, stored: true }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ name: 'TELEGRAM_BOT_TOKEN', env: true, stored: false }),
    );
    expect(list.stdout).not.toContain(secret);
    expect(list.stdout).not.toContain('env-token');

    const unknown = await runCli(['secrets', 'set', 'MY_PASSWORD', 'whatever-123'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown secret "MY_PASSWORD"; known: ANTHROPIC_API_KEY/);
    expect((await runCli(['secrets', 'set', 'OPENAI_API_KEY'], env, 15_000, '')).code).toBe(2);

    const unset = await runCli(['secrets', 'unset', 'ANTHROPIC_API_KEY'], env);
    expect(unset.code).toBe(0);
    expect((await runCli(['secrets', 'unset', 'ANTHROPIC_API_KEY'], env)).code).toBe(1);
  });
});

describe('every write of krabkrab.json goes through the safe writer', () => {
  it('WS config.apply and CLI config set both keep backups and stamp meta; the gateway reloads the CLI edit', async () => {
    const gateway = await startGateway();
    gateways.push(gateway);
    dirs.push(gateway.stateDir);
    const env = cleanEnv({ krabkrab_STATE_DIR: gateway.stateDir });
    const path = join(gateway.stateDir, 'krabkrab.json');
    const token = (await runCli(['token'], env)).stdout.trim();
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/`, token);
    try {
      const current = (await client.request('config.get')).payload.config;
      const applied = await client.request('config.apply', {
        config: { ...current, agents: { defaults: { maxConcurrent: 2 } } },
      });
      expect(applied.ok, JSON.stringify(applied.error)).toBe(true);
      const afterApply = JSON.parse(readFileSync(path, 'utf8'));
      expect(afterApply).toMatchObject({
        gateway: { mode: 'local' },
        agents: { defaults: { maxConcurrent: 2 } },
        meta: { lastTouchedVersion: expect.any(String) },
      });
      expect(JSON.parse(readFileSync(`${path}.bak.1`, 'utf8')).agents).toBeUndefined();

      expect((await runCli(['config', 'set', 'agents.defaults.maxConcurrent', '5'], env)).code).toBe(0);
      expect(JSON.parse(readFileSync(`${path}.bak.1`, 'utf8')).agents.defaults.maxConcurrent).toBe(2);
      await gateway.waitForLine(/config reloaded from/, 10_000);
      const reloaded = await client.request('config.get');
      expect(reloaded.payload.config.agents.defaults.maxConcurrent).toBe(5);
    } finally {
      client.close();
    }
  }, 40_000);
});
