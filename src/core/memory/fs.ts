/** A memory file as listed: its workspace-relative path (`memory/2026-01-05.md`), size and mtime. */
export interface MemoryFileStat {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * The file access memory needs, confined to one agent's workspace. Node gives the workspace dir
 * on disk (src/adapters/node/memory-fs.ts); elsewhere (Workers, unit tests) the files live in the
 * store (`createStoreMemoryFs`). Paths are workspace-relative and already checked by `checkMemoryPath`.
 */
export interface MemoryFs {
  /** `MEMORY.md` and every `memory/**\/*.md`, unordered. */
  list(): Promise<MemoryFileStat[]>;
  /** At most `maxBytes` of the file (the rest is not read); null when it does not exist. */
  read(path: string, maxBytes: number): Promise<{ bytes: Uint8Array; size: number } | null>;
  /** Appends, creating the file and its folder when needed. */
  append(path: string, text: string): Promise<void>;
  /** Writes the whole file, creating its folder when needed. */
  write(path: string, text: string): Promise<void>;
}
