import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../../../src/core/config/config-store';
import { parseConfigText, parseConfigValue } from '../../../src/core/config/parse';
import { redactConfig } from '../../../src/core/config/redact';
import { REDACTED } from '../../../src/core/config/redacted';

const MESSAGE = expect.stringMatching(/^not allowed as a config key/);
const PROBE = '{"gateway":{"mode":"local","__proto__":{"bind":"127.0.0.3","controlUi":{"enabled":false}}}}';

describe('__proto__, constructor and prototype keys in config', () => {
  it('the probe from issue 23 is a problem by dotted path, not a hidden bind and switched-off UI', async () => {
    const result = await parseConfigText(PROBE, {});
    expect(result).toEqual({ ok: false, problems: [{ path: 'gateway.__proto__', message: MESSAGE }] });

    const json5 = await parseConfigText(
      `// comment: the JSON5 path\n{gateway: {mode: 'local', __proto__: {bind: '127.0.0.3'},},}`,
      {},
    );
    expect(json5).toEqual({ ok: false, problems: [{ path: 'gateway.__proto__', message: MESSAGE }] });
  });

  it('finds each of the three at any depth, in arrays too, and after ${VAR} substitution', () => {
    const raw = JSON.parse(
      '{"gateway":{"mode":"local","auth":{"constructor":{"x":1}}},"agents":{"list":[{"id":"a","prototype":"${HOME}"}]},"channels":{"discord":{"guilds":{"__proto__":{"requireMention":false}}}}}',
    );
    const result = parseConfigValue(raw, { HOME: '/root' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path).sort()).toEqual([
      'agents.list[0].prototype',
      'channels.discord.guilds.__proto__',
      'gateway.auth.constructor',
    ]);
    expect(Object.getPrototypeOf(raw.channels.discord.guilds)).toBe(Object.prototype);
  });

  it('redaction keeps them as visible own keys, and no copy ever gets a new prototype', () => {
    const raw = JSON.parse('{"gateway":{"__proto__":{"auth":{"token":"hidden-secret"}},"mode":"local"}}');
    const shown = redactConfig(raw);
    expect(Object.keys(shown.gateway)).toEqual(['__proto__', 'mode']);
    expect(Object.getPrototypeOf(shown.gateway)).toBe(Object.prototype);
    expect(JSON.stringify(shown)).toBe(
      `{"gateway":{"__proto__":{"auth":{"token":"${REDACTED}"}},"mode":"local"}}`,
    );
  });

  it('config.apply and config.validate refuse them by path and keep the current config', async () => {
    const initial = parseConfigValue({ gateway: { mode: 'local' } }, {});
    if (!initial.ok) throw new Error('bad initial config');
    const persisted: unknown[] = [];
    const store = createConfigStore({
      initial: initial.value,
      env: {},
      persist: async (raw) => void persisted.push(raw),
    });
    const sent = JSON.parse(PROBE);
    expect(store.validate(sent)).toEqual([{ path: 'gateway.__proto__', message: MESSAGE }]);
    await expect(store.apply(sent)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(persisted).toEqual([]);
    expect(store.current().config.gateway?.bind).toBeUndefined();
  });
});
