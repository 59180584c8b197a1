import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticAsset, StaticAssets } from '../../core/runtime/assets';
import { asyncCache } from '../../core/runtime/async-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Built names carry an 8-char content hash (`app-3F2A1B9C.js`); see scripts/build-ui.mjs. */
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;

/**
 * Where the build put the Control UI: `dist/ui/` next to `dist/index.js`. The code doing this
 * may sit in `dist/index.js` or in a chunk under `dist/chunks/`, so both parents are tried.
 */
export function defaultUiDir(): string | undefined {
  for (const relative of ['./ui/', '../ui/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/**
 * Lists the built UI at start and reads a file (with its gzip form) the first time it is asked
 * for: a gateway nobody opens the UI of never spends start time or memory on it.
 */
export async function loadUiAssets(dir = defaultUiDir()): Promise<StaticAssets | undefined> {
  if (!dir) return undefined;
  const typeOf = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type && !name.endsWith('.map')) typeOf.set(name, type);
  }
  const files = asyncCache<StaticAsset>();
  return {
    get(name) {
      const type = typeOf.get(name);
      return type ? files(name, () => readAsset(join(dir, name), type, HASHED.test(name))) : undefined;
    },
  };
}

async function readAsset(path: string, contentType: string, immutable: boolean): Promise<StaticAsset> {
  const body = new Uint8Array(await readFile(path));
  const { gzipSync } = await import('node:zlib');
  const compressed = new Uint8Array(gzipSync(body, { level: 9 }));
  return {
    body,
    gzip: compressed.byteLength < body.byteLength ? compressed : undefined,
    contentType,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    immutable,
  };
}
