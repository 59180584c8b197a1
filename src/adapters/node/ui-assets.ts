import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { StaticAsset, StaticAssets } from '../../core/runtime/assets';

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

/** Reads every file of the built UI once (a few tens of kB) and prepares its gzip form. */
export async function loadUiAssets(dir = defaultUiDir()): Promise<StaticAssets | undefined> {
  if (!dir) return undefined;
  const files = new Map<string, StaticAsset>();
  for (const name of await readdir(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (!type || name.endsWith('.map')) continue;
    const body = new Uint8Array(await readFile(join(dir, name)));
    const compressed = new Uint8Array(gzipSync(body, { level: 9 }));
    files.set(name, {
      body,
      gzip: compressed.byteLength < body.byteLength ? compressed : undefined,
      contentType: type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: HASHED.test(name),
    });
  }
  return { get: (name) => files.get(name) };
}
