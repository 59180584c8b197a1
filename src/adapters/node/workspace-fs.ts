import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { GatewayError } from '../../core/errors';
import { notFound, parentPath, toWorkspacePath } from '../../core/workspace/path';
import type { WorkspaceEntry, WorkspaceFs, WorkspaceStat } from '../../core/workspace/types';

/** A read-only folder seen inside the workspace under `prefix` (the state dir's skills). */
export interface ReadOnlyRoot {
  prefix: string;
  dir: string;
}

export interface WorkspaceFsOptions {
  /**
   * The gateway's state dir (config, credentials, spool): never read or written, even when the
   * workspace holds it (an agent's workspace set to `~`); only a workspace inside it may be used.
   */
  stateDir?: string;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;
const missing = (error: unknown) => code(error) === 'ENOENT' || code(error) === 'ENOTDIR';

/**
 * An agent's workspace on disk. Every path is checked twice: its text (toWorkspacePath: no
 * absolute path, no `..` out) and where it really is (realpath: a symlink resolving outside the
 * workspace is refused), so nothing outside the workspace is read or written; nor anything in the
 * state dir unless the workspace lies inside it. A path under a read-only root's prefix that the
 * workspace lacks is read from that root instead (never written).
 */
export function createNodeWorkspaceFs(
  rootDir: string,
  readOnly: readonly ReadOnlyRoot[] = [],
  options: WorkspaceFsOptions = {},
): WorkspaceFs {
  let realState: Promise<string> | undefined;
  /**
   * Throws when `real` (a resolved path inside `realRoot`) is in the state dir while the root is
   * not inside it: a workspace holding the state dir must not hand the model its config (a write
   * there could turn exec's approvals off) or its credentials.
   */
  async function guard(real: string, realRoot: string, shown: string): Promise<void> {
    const { stateDir } = options;
    if (!stateDir) return;
    // Resolved once per instance, not once per path: a listing checks every entry.
    realState ??= realpath(stateDir).catch(() => stateDir);
    const state = await realState;
    if (realRoot.startsWith(state + sep)) return;
    if (within(real, state)) throw stateDirRefused(shown);
  }

  /** The real path of `rel` under `root`, checked to stay inside it; null when it does not exist. */
  async function locate(root: string, rel: string, shown: string): Promise<string | null> {
    let realRoot: string;
    let real: string;
    try {
      realRoot = await realpath(root);
      real = await realpath(join(realRoot, rel));
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
    if (!within(real, realRoot)) throw outside(shown);
    await guard(real, realRoot, shown);
    return real;
  }

  /** The workspace's file, else (a `skills/...` path) the read-only root's. */
  async function find(rel: string): Promise<string | null> {
    const own = await locate(rootDir, rel, rel);
    if (own) return own;
    for (const root of readOnly) {
      if (rel === root.prefix || rel.startsWith(`${root.prefix}/`)) {
        const found = await locate(root.dir, rel.slice(root.prefix.length + 1), rel);
        if (found) return found;
      }
    }
    return null;
  }

  return {
    async read(input, options) {
      const rel = toWorkspacePath(input);
      const real = await find(rel);
      if (!real) throw notFound(rel);
      // O_NOFOLLOW: the checked path is what gets opened, not a symlink swapped in since.
      const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const info = await handle.stat();
        if (info.isDirectory())
          throw new GatewayError('BAD_REQUEST', `${JSON.stringify(rel || '.')} is a folder; use list`);
        if (!info.isFile())
          throw new GatewayError('BAD_REQUEST', `${JSON.stringify(rel)} is not a regular file`);
        const length = Math.min(info.size, options?.maxBytes ?? info.size);
        const bytes = new Uint8Array(length);
        let offset = 0;
        while (offset < length) {
          const { bytesRead } = await handle.read(bytes, offset, length - offset, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        return { bytes: bytes.subarray(0, offset), size: info.size };
      } finally {
        await handle.close();
      }
    },

    async write(input, content) {
      const rel = toWorkspacePath(input);
      if (rel === '')
        throw new GatewayError('BAD_REQUEST', 'give a file path to write, not the workspace itself');
      await mkdir(rootDir, { recursive: true });
      const { dir, realRoot } = await ensureFolder(rootDir, parentPath(rel), rel, guard);
      const target = await writeTarget(join(dir, basename(rel)), rel, realRoot);
      await guard(target, realRoot, rel);
      const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
      // A replaced file keeps its permissions (a script stays executable).
      const mode = (await stat(target).catch(() => null))?.mode ?? 0o644;
      const handle = await open(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o644,
      );
      try {
        await handle.chmod(mode & 0o7777);
        await handle.writeFile(content, 'utf8');
        await handle.close();
        // Written aside, then renamed over: a crash leaves the old file or the new one, never half.
        await rename(temp, target);
      } catch (error) {
        await handle.close().catch(() => {});
        await rm(temp, { force: true });
        throw error;
      }
    },

    async list(input) {
      const rel = toWorkspacePath(input);
      const entries = new Map<string, WorkspaceEntry>();
      let found = false;
      const roots = [{ dir: rootDir, rel }];
      for (const root of readOnly) {
        if (rel === root.prefix || rel.startsWith(`${root.prefix}/`))
          roots.push({ dir: root.dir, rel: rel.slice(root.prefix.length + 1) });
      }
      for (const root of roots) {
        const real = await locate(root.dir, root.rel, rel);
        if (!real) continue;
        if (!(await stat(real)).isDirectory())
          throw new GatewayError('BAD_REQUEST', `${JSON.stringify(rel)} is a file; use read`);
        found = true;
        // Resolved once per root, not once per entry.
        const realRoot = await realpath(root.dir);
        for (const dirent of await readdir(real, { withFileTypes: true })) {
          if (entries.has(dirent.name)) continue;
          entries.set(dirent.name, await toEntry(real, dirent.name, realRoot, guard));
        }
      }
      if (!found) throw notFound(rel);
      return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    async stat(input) {
      const rel = toWorkspacePath(input);
      const real = await find(rel);
      return real ? toStat(await stat(real)) : null;
    },
  };
}

/** Makes the folders of `rel` under the workspace, refusing any that resolves outside; returns the real folder. */
async function ensureFolder(
  rootDir: string,
  rel: string,
  shown: string,
  guard: Guard,
): Promise<{ dir: string; realRoot: string }> {
  const realRoot = await realpath(rootDir);
  let current = realRoot;
  for (const segment of rel === '' ? [] : rel.split('/')) {
    const next = join(current, segment);
    try {
      current = await realpath(next);
    } catch (error) {
      if (!missing(error)) throw error;
      if ((await lstat(next).catch(() => null))?.isSymbolicLink()) throw outside(shown);
      await mkdir(next);
      current = next;
    }
    if (!within(current, realRoot)) throw outside(shown);
    await guard(current, realRoot, shown);
    if (!(await stat(current)).isDirectory())
      throw new GatewayError(
        'CONFLICT',
        `${JSON.stringify(shown)}: a part of the path is a file, not a folder`,
      );
  }
  return { dir: current, realRoot };
}

/** The file to replace: the path itself, or a symlink's target when it stays inside the workspace. */
async function writeTarget(path: string, shown: string, realRoot: string): Promise<string> {
  const info = await lstat(path).catch((error) => {
    if (missing(error)) return null;
    throw error;
  });
  if (!info) return path;
  if (info.isDirectory()) throw new GatewayError('BAD_REQUEST', `${JSON.stringify(shown)} is a folder`);
  if (!info.isSymbolicLink()) return path;
  // A symlink is followed only to a file already inside the workspace (a dangling one could create a file anywhere).
  const real = await realpath(path).catch(() => null);
  if (!real?.startsWith(realRoot + sep)) throw outside(shown);
  if ((await stat(real)).isDirectory())
    throw new GatewayError('BAD_REQUEST', `${JSON.stringify(shown)} is a folder`);
  return real;
}

/** One listed entry; `realRoot` is the root's real path. */
async function toEntry(dir: string, name: string, realRoot: string, guard: Guard): Promise<WorkspaceEntry> {
  const full = join(dir, name);
  try {
    const real = await realpath(full);
    if (!within(real, realRoot)) return { name, kind: 'other' };
    await guard(real, realRoot, name);
    const info = await stat(real);
    return info.isFile()
      ? { name, kind: 'file', size: info.size }
      : { name, kind: info.isDirectory() ? 'dir' : 'other' };
  } catch {
    return { name, kind: 'other' };
  }
}

function toStat(info: Stats): WorkspaceStat {
  return {
    kind: info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other',
    size: info.size,
    mtimeMs: info.mtimeMs,
  };
}

type Guard = (real: string, realRoot: string, shown: string) => Promise<void>;

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

function stateDirRefused(path: string): GatewayError {
  return new GatewayError(
    'FORBIDDEN',
    `${JSON.stringify(path)} is in the gateway's state dir (its config, credentials and spool): the file tools never use it`,
  );
}

function outside(path: string): GatewayError {
  return new GatewayError(
    'FORBIDDEN',
    `${JSON.stringify(path)} resolves outside the workspace (a symlink): only files inside the workspace can be used`,
  );
}
