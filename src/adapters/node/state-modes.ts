import { chmod, lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The modes every state-dir entry gets: owner-only, since it holds tokens, secrets and transcripts. */
export const STATE_FILE_MODE = 0o600;
export const STATE_DIR_MODE = 0o700;

/** setuid, setgid and sticky: never meaningful in a state dir, and setuid files are a privilege hole. */
export const SPECIAL_BITS = 0o7000;

/** Each entry under `dir` (depth-first, bounded by `limit` entries), relative path and lstat. */
export async function* walkState(
  dir: string,
  limit = 100_000,
): AsyncGenerator<{ path: string; mode: number; isDirectory: boolean }> {
  const pending = [dir];
  let seen = 0;
  while (pending.length > 0 && seen < limit) {
    const at = pending.pop() as string;
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (++seen > limit) return;
      const path = join(at, entry.name);
      const info = await lstat(path);
      if (info.isSymbolicLink()) continue;
      if (info.isDirectory()) pending.push(path);
      yield { path: relative(dir, path), mode: info.mode & 0o7777, isDirectory: info.isDirectory() };
    }
  }
}

/** Forces 0600 on every file and 0700 on every folder under `dir` (and `dir` itself). */
export async function forceOwnerOnly(dir: string): Promise<void> {
  await chmod(dir, STATE_DIR_MODE);
  for await (const entry of walkState(dir))
    await chmod(join(dir, entry.path), entry.isDirectory ? STATE_DIR_MODE : STATE_FILE_MODE);
}
