// Bundles the Workers adapter into dist/worker/index.js (with `--with-ui`, the Control UI into
// dist/ui too: the Worker's static assets; wrangler.example.toml's `[build] command` runs it so
// `wrangler dev` and `wrangler deploy` build first). The build fails if any `node:` module
// (or a Node built-in by its bare name) would reach the bundle: core and handlers must stay portable.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const nodeBuiltins = new Set(builtinModules);
const refuseNode = {
  name: 'refuse-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0];
      if (args.path.startsWith('node:') || (nodeBuiltins.has(bare) && !args.path.startsWith('.'))) {
        return {
          errors: [
            {
              text: `Node module "${args.path}" would reach the Worker bundle (imported by ${args.importer})`,
            },
          ],
        };
      }
      return undefined;
    });
  },
};

await mkdir('dist/worker', { recursive: true });
const result = await build({
  entryPoints: ['src/adapters/cloudflare/worker.ts'],
  outfile: 'dist/worker/index.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser', 'import'],
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  external: ['cloudflare:*'],
  plugins: [refuseNode],
  metafile: true,
  logLevel: 'warning',
});
const code = await readFile('dist/worker/index.js');
const figures = {
  rawKiB: +(code.length / 1024).toFixed(1),
  gzipKiB: +(gzipSync(code).length / 1024).toFixed(1),
};
await writeFile('dist/worker/size.json', `${JSON.stringify(figures)}\n`);
if (!process.env.QUIET)
  console.log(
    `[build:worker] dist/worker/index.js ${figures.rawKiB} KiB, ${figures.gzipKiB} KiB gzip (limit 3 MB)`,
  );
if (result.errors.length) process.exit(1);
if (process.argv.includes('--with-ui'))
  await (await import('./build-ui.mjs')).buildControlUi({ quiet: Boolean(process.env.QUIET) });
