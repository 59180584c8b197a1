import type { ReadWorkspaceFile } from './types';

/** How long a workspace file read is reused: edits apply within seconds, and a busy gateway does not stat files every turn. */
export const WORKSPACE_CACHE_MS = 5_000;

/** Wraps the adapter's file reader with a short cache, one entry per file (agents × prompt files, so bounded). */
export function cachedWorkspaceReader(
  read: ReadWorkspaceFile,
  now: () => number,
  ttlMs = WORKSPACE_CACHE_MS,
): ReadWorkspaceFile {
  const cache = new Map<string, { at: number; text: Promise<string | null> }>();
  return (dir, name, agentId) => {
    const key = `${agentId}\u0000${dir}\u0000${name}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.text;
    const text = read(dir, name, agentId);
    cache.set(key, { at: now(), text });
    // A failed read is not kept: the next turn tries again.
    text.catch(() => cache.delete(key));
    return text;
  };
}
