import { isGatewayError } from '../errors';
import { readTextFile } from '../workspace/read-text';
import type { WorkspaceFs } from '../workspace/types';
import type { MemoryFileStat, MemoryFs } from './fs';
import { MEMORY_FILE, NOTES_DIR } from './paths';

/** Folders deep and files many, at most, that a scan of `memory/` walks. */
const MAX_DEPTH = 8;
const MAX_FILES = 100_000;

const isNotFound = (error: unknown) => isGatewayError(error, 'NOT_FOUND');

/**
 * Memory files through the agent's `WorkspaceFs` (the store on Workers and in tests), so notes
 * the agent writes with the file tools are the ones memory search finds. Node uses its faster
 * direct walk (src/adapters/node/memory-fs.ts) over the same folder.
 */
export function memoryFsOver(workspace: WorkspaceFs): MemoryFs {
  async function walk(dir: string, depth: number, found: MemoryFileStat[]): Promise<void> {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    const entries = await workspace.list(dir).catch((error) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      const path = `${dir}/${entry.name}`;
      if (entry.kind === 'dir') await walk(path, depth + 1, found);
      else if (entry.kind === 'file' && entry.name.toLowerCase().endsWith('.md')) {
        const stat = await workspace.stat(path);
        if (stat?.kind === 'file') found.push({ path, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  }

  const read = async (path: string, maxBytes: number) =>
    workspace.read(path, { maxBytes }).catch((error) => {
      if (isNotFound(error)) return null;
      throw error;
    });

  return {
    async list() {
      const found: MemoryFileStat[] = [];
      const top = await workspace.stat(MEMORY_FILE);
      if (top?.kind === 'file') found.push({ path: MEMORY_FILE, size: top.size, mtimeMs: top.mtimeMs });
      await walk(NOTES_DIR, 1, found);
      return found;
    },
    read,
    async append(path, text) {
      // WorkspaceFs has no append: memory notes are small, so read, then write the whole file.
      const current = await readTextFile(workspace, path, Number.MAX_SAFE_INTEGER);
      await workspace.write(path, (current?.text ?? '') + text);
    },
    write: (path, text) => workspace.write(path, text),
  };
}
