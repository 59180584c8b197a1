import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeConfigFile, writeMinimalConfig } from '../../../src/adapters/node/config-file';
import { VERSION } from '../../../src/core/version';
import { removeDir, tempStateDir } from '../../helpers/gateway-process';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function fresh(): string {
  const dir = tempStateDir('krab-cfgfile-');
  dirs.push(dir);
  return dir;
}

describe('writeConfigFile', () => {
  it('keeps the last 5 versions as .bak.1 .. .bak.5, newest first', async () => {
    const dir = fresh();
    const path = join(dir, 'krabkrab.json');
    for (let n = 1; n <= 7; n++) await writeConfigFile(path, { gateway: { port: 3000 + n } });
    const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')).gateway.port;
    expect(read('krabkrab.json')).toBe(3007);
    expect([1, 2, 3, 4, 5].map((n) => read(`krabkrab.json.bak.${n}`))).toEqual([
      3006, 3005, 3004, 3003, 3002,
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      'krabkrab.json',
      ...[1, 2, 3, 4, 5].map((n) => `krabkrab.json.bak.${n}`),
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps every key it was given, stamps meta.lastTouchedVersion, and backs up the exact old bytes', async () => {
    const dir = fresh();
    const path = join(dir, 'krabkrab.json');
    const original =
      '// hand-written\n{ gateway: { mode: "local" }, meta: { lastTouchedVersion: "0.0.1" } }\n';
    writeFileSync(path, original);
    const doc = {
      $schema: './schema.json',
      gateway: { mode: 'local', bind: 'lan' },
      channels: { discord: { token: '${DISCORD_BOT_TOKEN}', guilds: { '123': { requireMention: true } } } },
      plugins: { entries: { someday: { enabled: false, config: { nested: [1, { a: null }] } } } },
      meta: { lastTouchedVersion: '0.0.1', lastTouchedAt: 'old' },
    };
    await writeConfigFile(path, doc);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.meta.lastTouchedVersion).toBe(VERSION);
    expect(written.meta.lastTouchedAt).not.toBe('old');
    const { meta: _meta, ...rest } = written;
    const { meta: _old, ...given } = doc;
    expect(rest).toEqual(given);
    expect(readFileSync(`${path}.bak.1`, 'utf8')).toBe(original);
  });

  it('writes the minimal config of --allow-unconfigured through the same path', async () => {
    const dir = fresh();
    const raw = await writeMinimalConfig(join(dir, 'krabkrab.json'));
    expect(raw).toMatchObject({ gateway: { mode: 'local' }, meta: { lastTouchedVersion: VERSION } });
    expect(JSON.parse(readFileSync(join(dir, 'krabkrab.json'), 'utf8'))).toEqual(raw);
  });
});
