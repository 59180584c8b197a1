// Bundles the Node gateway into dist/index.js (plus lazily loaded chunks for the SDKs),
// because one minified bundle starts about twice as fast as the unbundled tree (see STACK.md).
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

// Only this bundle's own outputs: dist/worker and dist/ui are built by their own steps.
await rm('dist/chunks', { recursive: true, force: true });
await build({
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
  banner: {
    // Bundled CommonJS dependencies (ws) still call require().
    js: "#!/usr/bin/env node\nimport { createRequire as __krabRequire } from 'node:module';\nconst require = __krabRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod('dist/index.js', 0o755);
await (await import('./build-ui.mjs')).buildControlUi();
