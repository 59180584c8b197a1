import { readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDirOf } from '../../../src/adapters/node/compile-cache';
import { resolveStateDir } from '../../../src/adapters/node/state-dir';
import { readGatewayEnv } from '../../../src/core/env';
import { removeDir, startGateway, tempStateDir } from '../../helpers/gateway-process';

// Node 22.1+ has module.enableCompileCache; on Node 20 the gateway starts without a cache.
const hasCache =
  typeof (module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Every entry under `dir`, with its permission bits. */
function modes(dir: string, prefix = ''): Array<[string, number]> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const own: [string, number] = [`${prefix}${entry.name}`, statSync(path).mode & 0o777];
    return entry.isDirectory() ? [own, ...modes(path, `${prefix}${entry.name}/`)] : [own];
  });
}

describe('the compile cache of `krabkrab gateway`', () => {
  it('finds the state dir as the CLI does', () => {
    const cases: Array<[string | undefined, NodeJS.ProcessEnv]> = [
      [undefined, {}],
      ['/srv/flag', { krabkrab_STATE_DIR: '/srv/env' }],
      [undefined, { krabkrab_STATE_DIR: '/srv/lower', KRABKRAB_STATE_DIR: '/srv/upper' }],
      [undefined, { KRABKRAB_STATE_DIR: '/srv/upper' }],
      [undefined, { krabkrab_STATE_DIR: '  ', KRABKRAB_STATE_DIR: 'relative/dir' }],
    ];
    for (const [flag, env] of cases)
      expect(stateDirOf(flag, env)).toBe(resolveStateDir(flag, readGatewayEnv(env).stateDir));
  });

  it(`${hasCache ? 'is kept owner-only under $STATE_DIR/cache/compile' : 'is not used on this Node (no module.enableCompileCache)'}`, async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const gateway = await startGateway({ stateDir });
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect(await gateway.stop()).toBe(0);
    const names = readdirSync(stateDir);
    if (!hasCache) {
      expect(names).not.toContain('cache');
      return;
    }
    const entries = modes(join(stateDir, 'cache'));
    expect(entries.some(([, mode]) => mode === 0o600)).toBe(true); // Node wrote the compiled code at exit
    for (const [path, mode] of entries) expect([path, mode & 0o077]).toEqual([path, 0]);
  });

  it('is off with KRABKRAB_COMPILE_CACHE=0', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const gateway = await startGateway({ stateDir, env: { KRABKRAB_COMPILE_CACHE: '0' } });
    expect(await gateway.stop()).toBe(0);
    expect(readdirSync(stateDir)).not.toContain('cache');
  });
});
