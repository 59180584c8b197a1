import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from '../cli/run-in-process';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** An OpenClaw dir holding `text` as openclaw.json. */
function source(text: string): string {
  const dir = tempStateDir('krab-hostile-');
  dirs.push(dir);
  mkdirSync(join(dir, 'oc'));
  writeFileSync(join(dir, 'oc', 'openclaw.json'), text);
  return join(dir, 'oc');
}

describe('import-openclaw on hostile input (issue 23, findings 7 and 8)', () => {
  it('lists __proto__, constructor and prototype keys at any depth as not mapped, and copies none', async () => {
    const dir = source(
      `{
        "__proto__": {"gateway": {"bind": "lan"}},
        "agents": {"constructor": {"x": 1}, "defaults": {"__proto__": {"timeoutSeconds": 5}, "maxConcurrent": 2}},
        "channels": {"telegram": {"enabled": true, "prototype": 1, "groups": {"constructor": {"requireMention": true}}},
                     "discord": {"guilds": {"1": {"channels": {"__proto__": {"allow": true}}}}}},
        "plugins": {"entries": {"voice-call": {"config": {"constructor": {"a": 1}}}}},
        "gateway": {"bind": "constructor", "mode": "local"}
      }`,
    );
    const result = await cli(['import-openclaw', dir, '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/unexpected error/);
    const out = JSON.parse(result.stdout);
    const notMapped = out.notMapped.map((entry: { path: string }) => entry.path);
    expect(notMapped).toEqual(
      expect.arrayContaining([
        '__proto__',
        'agents.constructor',
        'agents.defaults.__proto__',
        'channels.telegram.prototype',
        'channels.telegram.groups.constructor',
        'channels.discord.guilds.1.channels.__proto__',
        'plugins.entries.voice-call.config.constructor',
      ]),
    );
    expect(out.notMapped.find((e: { path: string }) => e.path === 'agents.constructor').reason).toMatch(
      /not allowed as a config key/,
    );
    expect(out.config.agents.defaults).toEqual({ maxConcurrent: 2 });
    expect(out.config.gateway.bind).toBeUndefined();
    expect(JSON.stringify(out.config)).not.toMatch(/__proto__|constructor|prototype/);
  });

  it('refuses input nested deeper than 64 levels with a clear error, not a stack overflow', async () => {
    const depth = 100_000;
    const dir = source(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const result = await cli(['import-openclaw', dir, '--json'], {});
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/openclaw\.json nests deeper than 64 levels \(at a\.a\.a\.a/);
    expect(result.stderr).not.toMatch(/Maximum call stack|unexpected error/);
    // An array nesting counts the same.
    const arrays = await cli(['import-openclaw', source(`{"x":${'['.repeat(70)}${']'.repeat(70)}}`)], {});
    expect(arrays.code).toBe(78);
    expect(arrays.stderr).toMatch(/nests deeper than 64 levels \(at x\[0\]\[0\]/);
  });

  it('refuses a file over 4 MB before parsing it, saying why', async () => {
    const dir = source(`{"agents": {"defaults": {"workspace": "${'x'.repeat(5 * 1024 * 1024)}"}}}`);
    const started = performance.now();
    const result = await cli(['import-openclaw', dir, '--json'], {});
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(
      /openclaw\.json is 5\.0 MB: a real openclaw\.json is a few KB, so this is not one \(the limit is 4 MB\)/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
