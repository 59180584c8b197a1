import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WORKSPACE_PROMPT_FILES } from '../../../core/agent/system-prompt';

/** The workspace files an OpenClaw agent has that krabkrab reads too: the system prompt's. */
export const WORKSPACE_FILES = WORKSPACE_PROMPT_FILES.map((file) => file.name);
/** Folders copied whole: daily memory notes and the agent's own skills. */
export const WORKSPACE_FOLDERS = ['memory', 'skills'];

/** A workspace file is notes and Markdown; anything bigger is not one to carry over. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_FILES = 2000;
export const MAX_TOTAL_BYTES = 100 * 1024 * 1024;
const MAX_DEPTH = 8;

export interface CopyOutcome {
  copied: string[];
  skipped: Array<{ path: string; reason: string }>;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Copies an OpenClaw workspace's files into a krabkrab workspace (`write` false: only says what
 * would be copied). Nothing is followed out: a symlink anywhere is skipped, and the source must
 * really be inside `within` (the OpenClaw folder). A file already in the workspace is kept unless
 * `force`; a symlink or folder there is never replaced. Files over 4 MB, past 2,000 files or
 * 100 MB in all, or deeper than 8 folders are skipped, each named with why.
 */
export async function copyWorkspace(input: {
  from: string;
  to: string;
  within: string;
  force: boolean;
  write: boolean;
}): Promise<CopyOutcome> {
  const out: CopyOutcome = { copied: [], skipped: [] };
  const skip = (path: string, reason: string): void => {
    out.skipped.push({ path, reason });
  };
  const fromInfo = await lstat(input.from).catch(() => undefined);
  if (!fromInfo) return out;
  if (!fromInfo.isDirectory()) {
    skip('.', fromInfo.isSymbolicLink() ? 'the workspace is a symlink: not followed' : 'not a folder');
    return out;
  }
  const realWithin = await realpath(input.within);
  const realFrom = await realpath(input.from);
  if (realFrom !== realWithin && !realFrom.startsWith(realWithin + sep)) {
    skip('.', 'the workspace resolves outside the OpenClaw folder: not followed');
    return out;
  }
  let files = 0;
  let total = 0;

  const copyFile = async (rel: string) => {
    const info = await lstat(join(input.from, rel));
    if (info.size > MAX_FILE_BYTES)
      return skip(
        rel,
        `too large (${(info.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_FILE_BYTES / 1024 / 1024} MB a file)`,
      );
    if (files >= MAX_FILES || total + info.size > MAX_TOTAL_BYTES)
      return skip(
        rel,
        `over the import's limit (${MAX_FILES} files, ${MAX_TOTAL_BYTES / 1024 / 1024} MB per workspace)`,
      );
    const existing = await lstat(join(input.to, rel)).catch(() => undefined);
    if (existing && (!existing.isFile() || existing.isSymbolicLink()))
      return skip(rel, 'the workspace has a folder or symlink there: left alone');
    if (existing && !input.force) return skip(rel, 'already in the workspace: kept (--force replaces it)');
    files++;
    total += info.size;
    if (input.write) await writeCopy(join(input.from, rel), input.to, rel);
    out.copied.push(rel);
  };

  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return skip(rel, `deeper than ${MAX_DEPTH} folders: not copied`);
    const entries = await readdir(join(input.from, rel), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) skip(path, 'a symlink: not followed');
      else if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) await copyFile(path);
      else skip(path, 'not a regular file');
    }
  };

  for (const name of [...WORKSPACE_FILES, ...WORKSPACE_FOLDERS]) {
    const info = await lstat(join(input.from, name)).catch(() => undefined);
    if (!info) continue;
    if (info.isSymbolicLink()) skip(name, 'a symlink: not followed');
    else if (WORKSPACE_FOLDERS.includes(name) && info.isDirectory()) await walk(name, 1);
    else if (WORKSPACE_FILES.includes(name) && info.isFile()) await copyFile(name);
    else skip(name, info.isDirectory() ? 'a folder where a file was expected' : 'not a regular file');
  }
  return out;
}

/**
 * Writes one file under `root`: each folder on the way is made or must be a real folder (never a
 * symlink), the source is opened without following links, and the file is written aside then
 * renamed over, so a crash leaves the old file or the new one.
 */
async function writeCopy(source: string, root: string, rel: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const parts = rel.split('/');
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const info = await lstat(dir).catch((error) => {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (!info) await mkdir(dir, { mode: 0o700 });
    else if (!info.isDirectory() || info.isSymbolicLink())
      throw new Error(`${relative(root, dir)} in the workspace is not a folder`);
  }
  const target = join(dir, parts.at(-1) as string);
  const temp = join(dir, `.${parts.at(-1)}.${randomBytes(4).toString('hex')}.tmp`);
  const input = await open(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // Owner-only, keeping a script's executable bit.
    const mode = 0o600 | ((await input.stat()).mode & 0o100);
    const bytes = await input.readFile();
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const handle = await open(temp, flags, mode);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    await input.close();
  }
}
