import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KrabConfig } from '../../../../src/core/config/schema';
import { VERSION } from '../../../../src/core/version';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from './run-in-process';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function setup(config?: unknown): { env: NodeJS.ProcessEnv; path: string; read(): KrabConfig } {
  const dir = tempStateDir('krab-cfgedit-');
  dirs.push(dir);
  const path = join(dir, 'krabkrab.json');
  if (config !== undefined) writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return { env: { krabkrab_STATE_DIR: dir }, path, read: () => JSON.parse(readFileSync(path, 'utf8')) };
}

const guide = JSON.parse(
  readFileSync(new URL('../../../fixtures/guide-config.json', import.meta.url), 'utf8'),
);

describe('config get', () => {
  it('prints strings bare, other values as JSON, and secrets redacted', async () => {
    const { env } = setup({
      ...guide,
      channels: { discord: { ...guide.channels.discord, token: 'literal-discord-token' } },
    });
    expect((await cli(['config', 'get', 'gateway.bind'], env)).stdout).toBe('auto\n');
    expect(JSON.parse((await cli(['config', 'get', 'agents.defaults.model.fallbacks'], env)).stdout)).toEqual(
      guide.agents.defaults.model.fallbacks,
    );
    expect((await cli(['config', 'get', 'agents.list[0].id'], env)).stdout).toBe(
      `${guide.agents.list[0].id}\n`,
    );
    const token = await cli(['config', 'get', 'channels.discord.token'], env);
    expect(token.stdout).toBe('__redacted__\n');
    const whole = await cli(['config', 'get'], env);
    expect(whole.stdout).not.toContain('literal-discord-token');
  });

  it('says when a path is not set (exit 1) and when there is no config (exit 78)', async () => {
    const { env } = setup({ gateway: { mode: 'local' } });
    const missing = await cli(['config', 'get', 'gateway.port'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/gateway\.port is not set/);
    const none = await cli(['config', 'get', 'gateway'], setup().env);
    expect(none.code).toBe(78);
    expect(none.stderr).toMatch(/no config at .*krabkrab\.json/);
    expect((await cli(['config', 'get', 'a..b'], env)).code).toBe(2);
  });
});

describe('config set / unset', () => {
  it('sets a value, keeps every other key, stamps meta, and keeps a backup', async () => {
    const ctx = setup(guide);
    const result = await cli(['config', 'set', 'gateway.port', '3000'], ctx.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /set gateway\.port = 3000 \(previous file kept as krabkrab\.json\.bak\.1\)/,
    );
    const after = ctx.read();
    expect(after.gateway?.port).toBe(3000);
    expect(after.meta?.lastTouchedVersion).toBe(VERSION);
    const { meta: _a, gateway: gwAfter, ...restAfter } = after;
    const { meta: _b, gateway: gwBefore, ...restBefore } = guide;
    expect(restAfter).toEqual(restBefore);
    expect(gwAfter).toEqual({ ...gwBefore, port: 3000 });
    expect(JSON.parse(readFileSync(`${ctx.path}.bak.1`, 'utf8'))).toEqual(guide);
  });

  it('takes plain words as strings and JSON5 for the rest; creates the file when missing', async () => {
    const ctx = setup();
    expect((await cli(['config', 'set', 'gateway.bind', 'lan'], ctx.env)).code).toBe(0);
    expect(
      (
        await cli(
          [
            'config',
            'set',
            'agents.defaults.model',
            '{primary: "anthropic/claude-opus-4-5", fallbacks: ["openai/gpt-4o"]}',
          ],
          ctx.env,
        )
      ).code,
    ).toBe(0);
    expect(ctx.read()).toMatchObject({
      gateway: { bind: 'lan' },
      agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } } },
    });
    expect(existsSync(`${ctx.path}.bak.1`)).toBe(true);
  });

  it('refuses a value the schema rejects, naming the path, and writes nothing', async () => {
    const ctx = setup(guide);
    const before = readFileSync(ctx.path, 'utf8');
    const wrongType = await cli(['config', 'set', 'agents.defaults.maxConcurrent', '"four"'], ctx.env);
    expect(wrongType.code).toBe(78);
    expect(wrongType.stderr).toMatch(/agents\.defaults\.maxConcurrent: expected number, got string/);
    const typo = await cli(['config', 'set', 'gatway.port', '3000'], ctx.env);
    expect(typo.code).toBe(78);
    expect(typo.stderr).toMatch(/gatway: unknown key \(did you mean gateway\?\)/);
    expect(readFileSync(ctx.path, 'utf8')).toBe(before);
    expect(existsSync(`${ctx.path}.bak.1`)).toBe(false);
  });

  it('refuses a literal secret with a hint to env or secrets set; a ${VAR} reference is fine', async () => {
    const ctx = setup({ gateway: { mode: 'local' } });
    const refused = await cli(
      ['config', 'set', 'channels.telegram.botToken', '123456:ABCDEF-secret'],
      ctx.env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /refusing to write a secret.*TELEGRAM_BOT_TOKEN.*krabkrab secrets set TELEGRAM_BOT_TOKEN/,
    );
    expect(refused.stderr).not.toContain('ABCDEF-secret');
    const nested = await cli(
      ['config', 'set', 'channels.discord', '{token: "discord-literal-token"}'],
      ctx.env,
    );
    expect(nested.code).toBe(1);
    expect(readFileSync(ctx.path, 'utf8')).not.toContain('literal');
    for (const literal of ['123456:REALSECRET${', '123:ABCDEF${HOME}', '${A}x']) {
      const sneaky = await cli(['config', 'set', 'channels.telegram.botToken', literal], ctx.env);
      expect(sneaky.code, literal).toBe(1);
      expect(sneaky.stderr).toMatch(/refusing to write a secret.*channels\.telegram\.botToken/s);
    }
    expect(readFileSync(ctx.path, 'utf8')).not.toMatch(/REALSECRET|ABCDEF|\$\{A\}x/);
    const ref = await cli(['config', 'set', 'channels.telegram.botToken', '${TELEGRAM_BOT_TOKEN}'], ctx.env);
    expect(ref.code, ref.stderr).toBe(0);
    expect(ctx.read().channels?.telegram?.botToken).toBe('${TELEGRAM_BOT_TOKEN}');
  });

  it('unsets a key, and says when there was nothing to unset', async () => {
    const ctx = setup(guide);
    const result = await cli(['config', 'unset', 'channels.discord.guilds'], ctx.env);
    expect(result.code, result.stderr).toBe(0);
    expect(ctx.read().channels?.discord?.guilds).toBeUndefined();
    expect(ctx.read().channels?.discord?.enabled).toBe(guide.channels.discord.enabled);
    const again = await cli(['config', 'unset', 'channels.discord.guilds'], ctx.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not set/);
    const required = await cli(['config', 'unset', 'agents.list[0].id'], ctx.env);
    expect(required.code).toBe(78);
    expect(required.stderr).toMatch(/agents\.list\[0\]\.id: required/);
  });

  it('lets a broken file be fixed one edit at a time, and keeps backups to the 5th', async () => {
    const ctx = setup({
      gateway: { mode: 'local', port: 'x' },
      agents: { defaults: { maxConcurrent: 'y' } },
    });
    const first = await cli(['config', 'set', 'gateway.port', '3000'], ctx.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/still has 1 problem/);
    for (let n = 1; n <= 6; n++)
      expect((await cli(['config', 'set', 'agents.defaults.maxConcurrent', String(n)], ctx.env)).code).toBe(
        0,
      );
    expect(ctx.read().agents?.defaults?.maxConcurrent).toBe(6);
    expect(JSON.parse(readFileSync(`${ctx.path}.bak.5`, 'utf8')).agents.defaults.maxConcurrent).toBe(1);
    expect(existsSync(`${ctx.path}.bak.6`)).toBe(false);
  });

  it('does not hold a ${VAR} unset in this shell against an edit', async () => {
    const ctx = setup({ channels: { discord: { token: '${DISCORD_BOT_TOKEN}' } } });
    const result = await cli(['config', 'set', 'channels.discord.enabled', 'true'], ctx.env);
    expect(result.code, result.stderr).toBe(0);
    expect(ctx.read().channels?.discord).toEqual({ token: '${DISCORD_BOT_TOKEN}', enabled: true });
  });
});

describe('__proto__ keys (issue 23, finding 2)', () => {
  const probe = '{"gateway":{"mode":"local","__proto__":{"bind":"127.0.0.3","controlUi":{"enabled":false}}}}';

  it('config validate names the key by path; config get shows it; config set refuses to write one', async () => {
    const ctx = setup(probe);
    const validate = await cli(['config', 'validate'], ctx.env);
    expect(validate.code).toBe(78);
    expect(validate.stdout + validate.stderr).toMatch(/gateway\.__proto__: not allowed as a config key/);
    const shown = await cli(['config', 'get', 'gateway'], ctx.env);
    expect(JSON.parse(shown.stdout)).toEqual(
      JSON.parse('{"mode":"local","__proto__":{"bind":"127.0.0.3","controlUi":{"enabled":false}}}'),
    );
    expect(shown.stdout).toContain('"__proto__"');

    const clean = setup({ gateway: { mode: 'local' } });
    const before = readFileSync(clean.path, 'utf8');
    for (const value of [
      '{"__proto__":{"bind":"127.0.0.3"},"mode":"local"}',
      '{mode: "local", auth: {constructor: {}}}',
      '{mode: "local", prototype: 1}',
    ]) {
      const set = await cli(['config', 'set', 'gateway', value], clean.env);
      expect(set.code, value).toBe(78);
      expect(set.stderr).toMatch(
        /gateway\.(__proto__|auth\.constructor|prototype): not allowed as a config key/,
      );
    }
    expect(readFileSync(clean.path, 'utf8')).toBe(before);
    expect((await cli(['config', 'set', 'gateway.__proto__.bind', '"lan"'], clean.env)).code).toBe(2);
  });
});
