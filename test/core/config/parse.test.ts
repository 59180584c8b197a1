import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText, parseConfigValue } from '../../../src/core/config/parse';
import { formatProblem } from '../../../src/core/config/problems';
import { configJsonSchema } from '../../../src/core/config/schema';

const guideText = readFileSync(new URL('../../fixtures/guide-config.json', import.meta.url), 'utf8');

function problemsOf(value: unknown, env = {}): string[] {
  const result = parseConfigValue(value, env);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('config parsing', () => {
  it('loads the guide example config unchanged', async () => {
    const result = await parseConfigText(guideText, {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.config.agents?.defaults?.model).toEqual({
      primary: 'anthropic/claude-opus-4-5',
      fallbacks: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'],
    });
    expect(result.value.config.channels?.discord?.guilds?.YOUR_GUILD_ID?.channels?.general?.allow).toBe(true);
    expect(result.value.config.gateway?.bind).toBe('auto');
  });

  it('accepts every key SPEC R12 lists, including plugins and channels.discord.token', () => {
    const config = JSON.parse(guideText);
    config.channels.discord.token = '${DISCORD_BOT_TOKEN}';
    config.agents.entries = [{ id: 'helper' }];
    config.plugins = { entries: {} };
    expect(problemsOf(config, { DISCORD_BOT_TOKEN: 'abc.def.ghi' })).toEqual([]);
  });

  it('accepts JSON5: comments and trailing commas', async () => {
    const result = await parseConfigText('{ // the gateway\n gateway: { mode: "local", }, }', {});
    expect(result.ok).toBe(true);
  });

  it('names the dotted path and the expected type', () => {
    expect(problemsOf({ agents: { defaults: { maxConcurrent: '4' } } })).toEqual([
      'agents.defaults.maxConcurrent: expected number, got string',
    ]);
  });

  it('names an unknown key and suggests the nearest known one on the same line', () => {
    expect(problemsOf({ gatway: { mode: 'local' } })).toEqual([
      'gatway: unknown key (did you mean gateway?)',
    ]);
    expect(problemsOf({ gateway: { bnid: 'lan' } })).toEqual([
      'gateway.bnid: unknown key (did you mean bind?)',
    ]);
    expect(problemsOf({ channels: { discord: { guilds: { g: { requireMentoin: true } } } } })).toEqual([
      'channels.discord.guilds.g.requireMentoin: unknown key (did you mean requireMention?)',
    ]);
  });

  it('explains a bad enum value', () => {
    expect(problemsOf({ channels: { discord: { groupPolicy: 'allow' } } })[0]).toMatch(
      /^channels\.discord\.groupPolicy: expected one of "allowlist", "open", "disabled", got "allow"$/,
    );
  });

  it('replaces ${VAR} from env, and names an unset variable with its path', () => {
    const ok = parseConfigValue(
      { gateway: { auth: { token: '${MY_TOKEN}' } } },
      { MY_TOKEN: 'secret-value-1' },
    );
    expect(ok.ok && ok.value.config.gateway?.auth?.token).toBe('secret-value-1');
    expect(ok.ok && (ok.value.raw as { gateway: { auth: { token: string } } }).gateway.auth.token).toBe(
      '${MY_TOKEN}',
    );
    expect(problemsOf({ gateway: { auth: { token: '${MISSING_VAR}' } } })).toEqual([
      'gateway.auth.token: environment variable MISSING_VAR is not set',
    ]);
  });

  it('reports text that is not JSON without throwing', async () => {
    const result = await parseConfigText('{ not json', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/^not valid JSON or JSON5/);
    expect(problemsOf([])).toEqual(['expected a JSON object at the top level']);
  });

  it('rejects unknown plugins with a suggestion', () => {
    expect(problemsOf({ plugins: { entries: { nope: { enabled: true } } } })).toEqual([
      'plugins.entries.nope: unknown plugin',
    ]);
  });

  it('publishes a JSON Schema that lists the top-level sections', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['agents', 'auth', 'bindings', 'channels', 'gateway', 'meta', 'plugins']),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it('refuses a relative path in tools.exec.allow (a workspace file the agent can rewrite)', () => {
    for (const entry of ['./build.sh', 'bin/tool', '../x']) {
      const [problem] = problemsOf({ tools: { exec: { allow: ['git', entry] } } });
      expect(problem).toMatch(
        /^tools\.exec\.allow\[1\]: a name found through PATH \(git\) or an absolute path/,
      );
    }
    expect(problemsOf({ tools: { exec: { allow: ['git', '/usr/bin/make', 'python3'] } } })).toEqual([]);
  });
});
