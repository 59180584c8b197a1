import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll } from 'vitest';
import { createStore } from '../../../src/core/storage/store';
import { testStore } from '../../core/storage/store-contract';

// Inside the repo: workerd refuses module paths that leave its starting directory.
const dir = 'test-output/store-box';
await build({
  entryPoints: [new URL('./store-box.worker.ts', import.meta.url).pathname],
  outfile: join(dir, 'box.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  external: ['cloudflare:*'],
  logLevel: 'error',
});
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, 'box.js'),
  compatibilityDate: '2025-09-01',
  durableObjects: { BOX: 'StoreBox' },
});
const namespace = (await mf.getDurableObjectNamespace('BOX')) as unknown as {
  idFromName(name: string): unknown;
  get(id: unknown): unknown;
};
afterAll(() => mf.dispose());

let instance = 0;
// The store's wrapper runs here; every driver call runs in workerd against real Durable Object storage.
testStore('Durable Object storage (workerd)', () => {
  const stub = namespace.get(namespace.idFromName(`store-${++instance}`)) as unknown as Record<
    string,
    (...args: unknown[]) => Promise<never>
  >;
  return createStore({
    drivers: {
      default: {
        name: 'durable-object-rpc',
        hasItem: (key) => stub.hasItem!(key),
        getItem: (key) => stub.getItem!(key),
        setItem: (key, value) => stub.setItem!(key, value),
        removeItem: (key) => stub.removeItem!(key),
        getKeys: (base) => stub.getKeys!(base),
      },
    },
  });
});
