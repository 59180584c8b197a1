import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../../src/core/config/parse';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from './run-in-process';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/openclaw/', import.meta.url));
const FULL = join(FIXTURES, 'full');
const LEGACY = join(FIXTURES, 'legacy', 'openclaw.json');

/** Every secret value written in the fixtures: none may come out of the importer. */
const FIXTURE_SECRETS = [
  'sk-or-fake-openrouter-0001',
  'gsk-fake-groq-0002',
  'sk-fake-openai-profile-0003',
  '123456:FAKE-telegram-token-0004',
  'fake-webhook-secret-0005',
  'FAKE.discord.token-0006',
  'xoxb-fake-0007',
  'xapp-fake-0008',
  'sk-fake-openai-0009',
  'fake-gateway-token-0010',
  'fake-twilio-auth-0012',
  'sk-ant-fake-dotenv-0013',
  'fake-brave-0014',
  'hunter2-fake',
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function stateDir(): string {
  const dir = tempStateDir('krab-import-');
  dirs.push(dir);
  return dir;
}

async function importJson(source: string, env: NodeJS.ProcessEnv = {}) {
  const result = await cli(['import-openclaw', source, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return { ...JSON.parse(result.stdout), raw: result.stdout + result.stderr };
}

describe('import-openclaw', () => {
  it('maps agents, models and fallbacks, bindings, channels with their policies, gateway, cron jobs and plugins', async () => {
    const out = await importJson(FULL);
    const config = out.config;
    // OpenClaw's workspaces are inside its folder: copied with --write, so the config names none.
    expect(config.agents.defaults).toEqual({
      model: {
        primary: 'anthropic/claude-opus-4-5',
        fallbacks: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'],
      },
      maxConcurrent: 3,
      timeoutSeconds: 600,
    });
    expect(config.agents.list).toEqual([
      { id: 'main', default: true, name: 'Main' },
      { id: 'work', model: 'openai/gpt-4o' },
    ]);
    expect(config.bindings).toEqual([
      { agentId: 'work', match: { channel: 'discord', guildId: '123456789012345678' } },
      { agentId: 'main', match: { channel: 'telegram', peer: { kind: 'dm', id: '123456789' } } },
    ]);
    expect(config.auth.profiles['anthropic:default']).toEqual({ provider: 'anthropic', mode: 'api-key' });
    expect(config.channels.telegram).toEqual({
      enabled: true,
      dmPolicy: 'pairing',
      allowFrom: ['123456789', 987654321],
      groupPolicy: 'allowlist',
      groups: { '*': { requireMention: true }, '-1001234567890': { requireMention: false } },
      webhookUrl: 'https://example.com/telegram-webhook',
      webhookPath: '/telegram-webhook',
    });
    expect(config.channels.discord).toEqual({
      enabled: true,
      groupPolicy: 'allowlist',
      allowFrom: ['123456789012345678'],
      guilds: {
        '123456789012345678': {
          requireMention: false,
          users: ['987654321098765432'],
          channels: { general: { allow: true }, help: { allow: true, requireMention: true } },
        },
      },
    });
    expect(config.gateway).toEqual({
      mode: 'local',
      port: 3000,
      bind: 'lan',
      controlUi: { enabled: true },
      allowedOrigins: ['https://control.example.com'],
      publicUrl: 'https://gateway.example.com',
      tunnel: { provider: 'tailscale' },
    });
    expect(config.models).toEqual({ providers: { openai: { baseUrl: 'https://proxy.example.com/v1' } } });
    expect(config.cron.enabled).toBe(true);
    expect(config.cron.jobs).toEqual([
      {
        id: 'morning-briefing',
        name: 'Morning Briefing - 7AM Daily',
        schedule: { cron: '0 7 * * *' },
        tz: 'Europe/Berlin',
        message: 'Summarize overnight updates.',
        agentId: 'main',
        enabled: true,
        deliver: { channel: 'telegram', to: '123456789' },
      },
      {
        id: '6f1c2b9e-8d4a-4f7e-9a31-2c5d7e8f9a0b',
        name: 'Check inbox',
        schedule: { every: '1800s' },
        message: 'Check the inbox.',
        agentId: 'main',
        enabled: false,
      },
      {
        id: 'reminder',
        name: 'Reminder',
        schedule: { at: '2026-02-01T16:00:00Z' },
        message: 'Reminder: check the cron docs draft',
        deliver: { channel: 'discord', to: '1234567890' },
      },
    ]);
    expect(config.plugins.entries['voice-call']).toEqual({
      enabled: true,
      config: {
        provider: 'twilio',
        fromNumber: '+15550001234',
        twilio: { accountSid: 'ACfake0011' },
        inbound: { policy: 'allowlist', allowFrom: ['+15550009999'] },
        greeting: 'Hello from the crab.',
      },
    });
    expect(config.meta).toBeUndefined();
    const check = parseConfigValue(config, {});
    expect(check.ok, JSON.stringify(check)).toBe(true);
    expect(out.mapped).toEqual(
      expect.arrayContaining([
        'agents.defaults.model',
        'agents.list',
        'bindings',
        'channels.discord.guilds',
        'cron.jobs',
        'gateway.port',
        'plugins.entries.voice-call',
      ]),
    );
  });

  it('lists what it could not map, with why, and never a value', async () => {
    const out = await importJson(FULL);
    const reasons = Object.fromEntries(
      out.notMapped.map((entry: { path: string; reason: string }) => [entry.path, entry.reason]),
    );
    expect(reasons).toMatchObject({
      identity: 'no such setting in krabkrab',
      session: 'no such setting in krabkrab',
      'channels.telegram.streaming': 'no such setting in krabkrab',
      'channels.discord.guilds.123456789012345678.slug': 'no such setting in krabkrab',
      'bindings[2]': '"acp" bindings have no counterpart in krabkrab',
      'cron.maxConcurrentRuns': 'no such setting in krabkrab',
      'plugins.entries.memory-lancedb': 'not accepted: unknown plugin',
      'plugins.entries.voice-call.config.serve': 'not accepted: unknown key',
    });
    // Slack is a channel now (issue 20): its section is imported, its tokens named as env vars.
    expect(Object.keys(reasons).filter((path) => path.startsWith('channels.slack'))).toEqual([]);
    expect(reasons['cron.jobs[3]']).toMatch(/^not accepted: invalid cron expression "not a cron line"/);
    expect(out.notes).toContainEqual(expect.stringMatching(/system event.*agent prompt/));
  });

  it('copies no secret, naming the env var to set for each instead', async () => {
    const human = await cli(['import-openclaw', FULL], {});
    const json = await importJson(FULL);
    for (const secret of FIXTURE_SECRETS) {
      expect(human.stdout + human.stderr, secret).not.toContain(secret);
      expect(json.raw, secret).not.toContain(secret);
    }
    const names = json.secrets.map((s: { env: string }) => s.env);
    expect(names).toEqual(
      expect.arrayContaining([
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_WEBHOOK_SECRET',
        'DISCORD_BOT_TOKEN',
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'krabkrab_GATEWAY_TOKEN',
        'TWILIO_AUTH_TOKEN',
        'OPENROUTER_API_KEY',
        'GROQ_API_KEY',
        'BRAVE_API_KEY',
        'SLACK_BOT_TOKEN',
        'SLACK_APP_TOKEN',
      ]),
    );
    expect(human.stderr).toMatch(/secrets were not copied; set these env vars/);
    expect(human.stderr).toMatch(/^ {2}TELEGRAM_BOT_TOKEN +<- channels\.telegram\.botToken$/m);
    expect(JSON.parse(human.stdout)).toEqual(json.config);
  });

  it('reads the legacy single-agent shape, Discord dm block, env SecretRefs and bind aliases', async () => {
    const out = await importJson(LEGACY);
    expect(out.config.agents).toEqual({
      defaults: {
        model: { primary: 'anthropic/claude-sonnet-4-5', fallbacks: ['anthropic/claude-opus-4-6'] },
      },
    });
    expect(out.config.channels.discord).toEqual({
      enabled: true,
      token: '${MY_DISCORD_TOKEN}',
      dmPolicy: 'disabled',
    });
    expect(out.config.gateway).toEqual({ bind: 'lan' });
    expect(out.notMapped.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['gateway.auth.mode', 'gateway.auth.password']),
    );
    expect(out.secrets).toEqual(
      expect.arrayContaining([
        { env: 'krabkrab_GATEWAY_TOKEN', from: 'required by gateway.bind lan' },
        expect.objectContaining({ env: 'MY_DISCORD_TOKEN' }),
      ]),
    );
    expect(out.raw).not.toContain('hunter2-fake');
    expect(out.notes).toContainEqual(expect.stringMatching(/legacy single-agent block/));
  });

  it('--write merges into the existing config through the safe writer, keeping its other keys and a backup', async () => {
    const state = stateDir();
    const path = join(state, 'krabkrab.json');
    const before = {
      gateway: { mode: 'local', port: 18789 },
      agents: { defaults: { maxConcurrent: 8, systemPrompt: 'Be brief.' } },
    };
    writeFileSync(path, JSON.stringify(before));
    const result = await cli(['import-openclaw', FULL, '--write'], { krabkrab_STATE_DIR: state });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^wrote .*krabkrab\.json \(merged into the existing config; the previous file is kept as krabkrab\.json\.bak\.1\)/,
    );
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.agents.defaults).toMatchObject({
      maxConcurrent: 3,
      systemPrompt: 'Be brief.',
      model: { primary: 'anthropic/claude-opus-4-5' },
    });
    expect(written.gateway).toMatchObject({ mode: 'local', port: 3000, bind: 'lan' });
    expect(written.meta.lastTouchedVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.parse(readFileSync(`${path}.bak.1`, 'utf8'))).toEqual(before);
    for (const secret of FIXTURE_SECRETS) expect(readFileSync(path, 'utf8')).not.toContain(secret);
    const validate = await cli(['config', 'validate'], { krabkrab_STATE_DIR: state });
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('--write into an empty state dir creates a config the gateway accepts', async () => {
    const state = stateDir();
    const result = await cli(['import-openclaw', LEGACY, '--write'], { krabkrab_STATE_DIR: state });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^wrote \S+krabkrab\.json\n$/);
    expect(existsSync(join(state, 'krabkrab.json.bak.1'))).toBe(false);
    const validate = await cli(['config', 'validate'], {
      krabkrab_STATE_DIR: state,
      MY_DISCORD_TOKEN: 'x'.repeat(20),
    });
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('finds ~/.openclaw through OPENCLAW_STATE_DIR, and says clearly what is wrong with a bad source', async () => {
    const copy = stateDir();
    cpSync(FULL, copy, { recursive: true });
    const viaEnv = await cli(['import-openclaw', '--json'], { OPENCLAW_STATE_DIR: copy });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout).source).toBe(join(copy, 'openclaw.json'));

    const missing = await cli(['import-openclaw', join(copy, 'nope')], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no OpenClaw state dir at .*nope/);
    const broken = stateDir();
    writeFileSync(join(broken, 'openclaw.json'), '{ agents: ');
    const notJson5 = await cli(['import-openclaw', broken], {});
    expect(notJson5.code).toBe(78);
    expect(notJson5.stderr).toMatch(/openclaw\.json is not valid JSON5/);
    writeFileSync(join(broken, 'openclaw.json'), '{ $include: ["./agents.json5"] }');
    expect((await cli(['import-openclaw', broken], {})).stderr).toMatch(/uses \$include/);
    mkdirSync(join(broken, 'empty'));
    expect((await cli(['import-openclaw', join(broken, 'empty')], {})).code).toBe(78);
  });
});
