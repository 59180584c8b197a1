/**
 * What a backup leaves out of the state dir: things that belong to one running process or to an
 * unfinished write, never state: the gateway lock (`gateway.<hex>.lock`, and a stale one moved
 * aside), atomic-write temp files, the working folders of `restore` itself, and `cache/` (Node's
 * compile cache, see compile-cache.ts: rebuilt by the next start).
 */
export function isRuntimeOnly(relativePath: string): boolean {
  const parts = relativePath.replace(/^\.\//, '').split('/');
  const top = parts[0] ?? '';
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 1 && /^gateway\.[0-9a-f]{8}\.lock(\.stale-\d+)?$/.test(top)) return true;
  if (/^\.(restore|pre-restore)-/.test(top)) return true;
  if (top === 'cache') return true;
  return name.endsWith('.tmp');
}

/** A timestamp for file names: `20260401-093000`. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/\..*$/, '').replace(/-/g, '').replace('T', '-').replace(/:/g, '');
}
