import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../../fakes/slack-api';
import { cli } from './run-in-process';

let fake: FakeSlackApi;
let stateDir: string;
beforeAll(async () => {
  fake = await startFakeSlackApi();
  stateDir = await mkdtemp(join(tmpdir(), 'krab-slack-add-'));
});
afterAll(async () => {
  await fake.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe('krabkrab channels add slack (the generic add from ChannelDef.setup)', () => {
  it('checks the bot token with auth.test, stores the secrets 0600 and enables the channel', async () => {
    const env = { KRABKRAB_STATE_DIR: stateDir, SLACK_API_BASE: fake.apiBase };
    const result = await cli(
      ['channels', 'add', 'slack', '--bot-token', fake.botToken, '--signing-secret', 'sign-me'],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^slack: the credentials belong to krab/);
    const secret = join(stateDir, 'credentials', 'secrets', 'SLACK_BOT_TOKEN');
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
    const config = await readFile(join(stateDir, 'krabkrab.json'), 'utf8');
    expect(JSON.parse(config).channels.slack).toEqual({ enabled: true });
    expect(config).not.toContain(fake.botToken);
    expect(config).not.toContain('sign-me');
  });

  it('refuses a bad token and names missing flags', async () => {
    const env = { KRABKRAB_STATE_DIR: stateDir, SLACK_API_BASE: fake.apiBase };
    const bad = await cli(
      ['channels', 'add', 'slack', '--bot-token', 'xoxb-wrong', '--signing-secret', 's'],
      env,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Slack did not accept it: .*invalid_auth/);
    const missing = await cli(['channels', 'add', 'slack', '--bot-token', fake.botToken], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/pass --signing-secret/);
  });
});
