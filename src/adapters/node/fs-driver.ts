import { unlinkSync } from 'node:fs';
import { defineDriver } from 'unstorage';
import fsLiteDriver from 'unstorage/drivers/fs-lite';
import { writeFileAtomic } from './atomic-write';

/**
 * unstorage's fs driver with atomic, owner-only writes: the state holds credentials and
 * conversations, and a crash mid-write must not leave a truncated JSON file. The lite variant:
 * the gateway never watches its store, and the full one brings a glob matcher to start with
 * for its `ignore` option, where a suffix test does (a write's temp file is never a key).
 */
export const atomicFsDriver = defineDriver((options: { base: string }) => {
  const inner = fsLiteDriver({ base: options.base, ignore: (path: string) => path.endsWith('.tmp') });
  const path = (key: string) => {
    if (/\.\.:|\.\.$/.test(key))
      throw new Error(`[unstorage] [fs-atomic] Invalid key: ${JSON.stringify(key)}`);
    return `${options.base}/${key.replace(/:/g, '/')}`;
  };
  return {
    ...inner,
    options,
    name: 'fs-atomic',
    setItem: (key: string, value: string) => writeFileAtomic(path(key), value),
    setItemRaw: (key: string, value: Uint8Array) => writeFileAtomic(path(key), value),
    // Synchronous on purpose: removing a spool entry is the pipeline's "reply sent" commit, and an
    // unlink (a metadata change of microseconds) queued in libuv's pool behind other messages'
    // fsyncs would widen the window where a SIGKILL makes a restart send the reply again.
    removeItem: (key: string) => {
      try {
        unlinkSync(path(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
});
