import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/adapters/node/atomic-write';
import { createNodeStore } from '../../../src/adapters/node/node-store';
import { testStore } from '../../core/storage/store-contract';
import { removeDir, tempStateDir } from '../../helpers/gateway-process';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

testStore('fs (state dir)', () => {
  const dir = tempStateDir();
  dirs.push(dir);
  return createNodeStore(dir);
});

describe('fs store on the state dir', () => {
  it('puts each namespace in its own folder, owner-only', async () => {
    const dir = tempStateDir();
    dirs.push(dir);
    const store = createNodeStore(dir);
    await store.set('credentials:telegram', { token: 'x' });
    await store.set('sessions:agent:main:telegram:1', { turns: [] });
    expect(readFileSync(join(dir, 'credentials', 'telegram'), 'utf8')).toBe('{"token":"x"}');
    expect(statSync(join(dir, 'credentials', 'telegram')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'sessions', 'agent', 'main', 'telegram'))).toEqual(['1']);
  });

  it('writes atomically: a write that dies half-way leaves the old file whole', async () => {
    const dir = tempStateDir();
    dirs.push(dir);
    const path = join(dir, 'file.json');
    await writeFileAtomic(path, JSON.stringify({ version: 1 }));
    // A write whose data source fails part-way stands in for a crash mid-write.
    const failing = {
      [Symbol.asyncIterator]: async function* () {
        yield '{"version": 2, "big": "';
        throw new Error('crash mid-write');
      },
    };
    await expect(writeFileAtomic(path, failing as never)).rejects.toThrow();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1 });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('never lists the temp file of a write a crash cut short as a key', async () => {
    const dir = tempStateDir();
    dirs.push(dir);
    const store = createNodeStore(dir);
    await store.set('spool:telegram:1', { update: 1 });
    mkdirSync(join(dir, 'spool', 'telegram'), { recursive: true });
    writeFileSync(join(dir, 'spool', 'telegram', '2.1a2b3c4d.tmp'), '{"upd');
    expect(await store.keys('spool:')).toEqual(['spool:telegram:1']);
  });
});
