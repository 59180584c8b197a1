import { keySegment, type Store } from '../storage/store';
import type { MemoryFileStat, MemoryFs } from './fs';

interface StoredFile {
  text: string;
  mtimeMs: number;
}

const encoder = new TextEncoder();

/**
 * Memory files kept in the store (`memory:files.<agentId>:<path>`), for runtimes without a
 * workspace on disk (Workers) and for unit tests. Same contract as the Node workspace files.
 */
export function createStoreMemoryFs(store: Store, agentId: string, now: () => number): MemoryFs {
  const prefix = `memory:files.${keySegment(agentId)}:`;
  const keyOf = (path: string) => `${prefix}${keySegment(path)}`;
  const cell = (path: string) => store.state<StoredFile>(keyOf(path));
  return {
    async list() {
      const keys = await store.keys(prefix);
      const files = await Promise.all(
        keys.map(async (key): Promise<MemoryFileStat | null> => {
          const file = await store.get<StoredFile>(key);
          if (!file) return null;
          const path = decodeURIComponent(key.slice(prefix.length));
          return { path, size: encoder.encode(file.text).length, mtimeMs: file.mtimeMs };
        }),
      );
      return files.filter((file) => file !== null);
    },
    async read(path, maxBytes) {
      const file = await store.get<StoredFile>(keyOf(path));
      if (!file) return null;
      const bytes = encoder.encode(file.text);
      return { bytes: bytes.subarray(0, maxBytes), size: bytes.length };
    },
    async append(path, text) {
      await cell(path).update((current) => ({ text: (current?.text ?? '') + text, mtimeMs: now() }));
    },
    async write(path, text) {
      await cell(path).update(() => ({ text, mtimeMs: now() }));
    },
  };
}
