import { appendFile, lstat, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MemoryFileStat, MemoryFs } from '../../core/memory/fs';
import { checkMemoryPath, MEMORY_FILE, NOTES_DIR } from '../../core/memory/paths';

/** Folders deep and files many, at most, that a scan of `memory/` walks (a runaway tree stays bounded). */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 100_000;
const STAT_BATCH = 64;

const missing = (error: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * An agent's memory files on disk: `MEMORY.md` and `memory/**\/*.md` in its workspace. Symlinks
 * are neither followed nor listed, so nothing outside the workspace is read or written.
 */
export function createNodeMemoryFs(workspace: string): MemoryFs {
  const full = (path: string) => join(workspace, checkMemoryPath(path));

  async function walk(dir: string, depth: number, found: string[]): Promise<void> {
    if (depth > MAX_DEPTH || found.length >= MAX_ENTRIES) return;
    let entries: import('node:fs').Dirent[];
    try {
      // A symlinked folder is not walked (readdir would follow it out of the workspace).
      if (!(await lstat(join(workspace, dir))).isDirectory()) return;
      entries = await readdir(join(workspace, dir), { withFileTypes: true });
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (found.length >= MAX_ENTRIES) return;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, depth + 1, found);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(path);
    }
  }

  async function statOf(path: string): Promise<MemoryFileStat | null> {
    try {
      const stat = await lstat(join(workspace, path));
      return stat.isFile() ? { path, size: stat.size, mtimeMs: stat.mtimeMs } : null;
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
  }

  /** The file's full path, refused when it or a folder on the way is a symlink (it could point outside). */
  async function checkedTarget(path: string): Promise<string> {
    const target = full(path);
    const segments = checkMemoryPath(path).split('/');
    for (let i = 1; i <= segments.length; i++) {
      const stat = await lstat(join(workspace, ...segments.slice(0, i))).catch((error) => {
        if (missing(error)) return null;
        throw error;
      });
      if (!stat) break;
      if (i < segments.length ? !stat.isDirectory() : !stat.isFile())
        throw new Error(
          `${segments.slice(0, i).join('/')} is not a plain ${i < segments.length ? 'folder' : 'file'}`,
        );
    }
    return target;
  }

  return {
    async list() {
      const paths = [MEMORY_FILE];
      await walk(NOTES_DIR, 1, paths);
      const stats: MemoryFileStat[] = [];
      for (let i = 0; i < paths.length; i += STAT_BATCH) {
        const batch = await Promise.all(paths.slice(i, i + STAT_BATCH).map(statOf));
        for (const stat of batch) if (stat) stats.push(stat);
      }
      return stats;
    },
    async read(path, maxBytes) {
      const target = await checkedTarget(path);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(target, 'r');
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        const buffer = Buffer.alloc(Math.min(size, maxBytes));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead), size };
      } finally {
        await handle.close();
      }
    },
    async append(path, text) {
      const target = await checkedTarget(path);
      await mkdir(dirname(target), { recursive: true });
      await appendFile(target, text, 'utf8');
    },
    async write(path, text) {
      const target = await checkedTarget(path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text, 'utf8');
    },
  };
}
