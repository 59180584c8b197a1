// Bundles the Node gateway into dist/index.js (plus lazily loaded chunks for the SDKs),
// because one minified bundle starts about twice as fast as the unbundled tree (see STACK.md).
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { build } from 'esbuild';

// Written in memory, then chunks first and index.js last by rename: a gateway started while a
// build runs (tests in parallel) never sees an index.js whose chunks are missing.
const result = await build({
  entryPoints: { index: 'src/adapters/node/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  // WhatsApp Web's library loads wasm and native parts from its own files: imported at run time, only in mode "web".
  external: ['baileys'],
  banner: {
    // Bundled CommonJS dependencies (ws) still call require().
    js: "#!/usr/bin/env node\nimport { createRequire as __krabRequire } from 'node:module';\nconst require = __krabRequire(import.meta.url);",
  },
  logLevel: 'warning',
  write: false,
});
const fresh = new Set();
for (const file of [...result.outputFiles].sort(
  (a, b) => (basename(a.path).startsWith('index.') ? 1 : 0) - (basename(b.path).startsWith('index.') ? 1 : 0),
)) {
  await mkdir(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  await writeFile(temp, file.contents, { mode: file.path.endsWith('/index.js') ? 0o755 : 0o644 });
  await rename(temp, file.path);
  fresh.add(basename(file.path));
}
// Chunks of earlier builds are removed once nothing can still be loading them.
for (const name of await readdir('dist/chunks').catch(() => [])) {
  const path = `dist/chunks/${name}`;
  if (!fresh.has(name) && Date.now() - (await stat(path)).mtimeMs > 10 * 60_000)
    await unlink(path).catch(() => {});
}
await (await import('./build-ui.mjs')).buildControlUi();
