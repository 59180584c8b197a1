// Bundles the Node gateway into dist/ (plus lazily loaded chunks for the SDKs), because one
// minified bundle starts about twice as fast as the unbundled tree (see STACK.md).
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { writeThirdPartyLicenses } from './third-party-licenses.mjs';

// @vladfrangu/async_event_emitter (under @discordjs/ws) inlines node-inspect-extracted, a browser
// copy of util.inspect that is evaluated on import, for one error message: 3 MiB of a gateway's
// idle memory with Discord on. On Node it is util.inspect itself. A version laid out otherwise is
// bundled unchanged, with a warning.
const INSPECT_START = '// node_modules/node-inspect-extracted/dist/inspect.js';
const INSPECT_END = '// src/index.ts';
const nodeInspect = {
  name: 'node-inspect',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@vladfrangu[\\/]async_event_emitter[\\/]dist[\\/]index\.mjs$/ },
      async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const start = source.indexOf(INSPECT_START);
        const end = source.indexOf(INSPECT_END);
        if (start < 0 || end < start)
          return {
            contents: source,
            loader: 'js',
            warnings: [{ text: 'node-inspect-extracted not found: bundled unchanged' }],
          };
        return {
          contents: `${source.slice(0, start)}import { inspect } from 'node:util';\n${source.slice(end)}`,
          loader: 'js',
        };
      },
    );
  },
};

// `--release` (npm pack's prepack): no source maps, and nothing left from earlier builds, so the
// package (and the image, built from it) holds exactly this build. Maps of the minified bundles
// are larger than the code (13 MB with the bundled libraries' sources, 2.8 MB without) and the
// build is deterministic: a stack trace from a release is mapped by rebuilding its tag.
const release = process.argv.includes('--release');

const common = {
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: release ? false : 'linked',
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
  // Which packages the bundles carry, for dist/THIRD-PARTY-LICENSES.md.
  metafile: true,
  plugins: [nodeInspect],
};

// Two bundles. dist/gateway.js is `krabkrab gateway` alone; dist/index.js is the CLI, which hands
// `gateway` over to it. In one bundle the code the gateway shares with twelve lazily loaded
// commands is cut into a chunk per combination of commands using it, and a start loaded ~25 files
// (each costs the ESM loader ~0.5 ms); apart, the gateway's start loads ~9.
const gatewayBundle = {
  name: 'gateway-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\/gateway-cli$/ }, () => ({ path: './gateway.js', external: true }));
  },
};
// The gateway start's modules end up in a few chunks: each of our dynamically imported modules (a
// lazy chunk's entry) also imports the gateway's entry, so the start's modules are reached from
// the same entry points, which is what esbuild groups chunks by. Without this, they were cut into
// ~20 files by which lazy chunks share them, and the ESM loader spends ~0.6 M instructions on each
// file. Libraries imported lazily (grammy, the SDKs) are left as they are: their chunks then stay
// byte-identical to the CLI bundle's, which the two builds share by name (with them: +1.9 MB).
const GATEWAY_ENTRY = 'src/adapters/node/cli/gateway-cli.ts';
const oneStartChunk = {
  name: 'one-start-chunk',
  setup(b) {
    const lazyEntries = new Set();
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.lazyEntry) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { lazyEntry: true },
      });
      // Left to esbuild when it cannot be resolved (optional peers such as zlib-sync) or stays external.
      if (resolved.errors.length || resolved.external || resolved.path.includes('/node_modules/'))
        return undefined;
      lazyEntries.add(resolved.path);
      return resolved;
    });
    b.onLoad({ filter: /\.(ts|tsx|js|mjs|cjs)$/ }, async (args) => {
      if (!lazyEntries.has(args.path)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('.ts') ? 'ts' : args.path.endsWith('.tsx') ? 'tsx' : 'js';
      return {
        contents: `import ${JSON.stringify(resolvePath(GATEWAY_ENTRY))};\n${source}`,
        loader,
        resolveDir: dirname(args.path),
      };
    });
  },
};
const [cli, gateway] = await Promise.all([
  build({
    ...common,
    entryPoints: { index: 'src/adapters/node/main.ts' },
    plugins: [nodeInspect, gatewayBundle],
  }),
  build({ ...common, entryPoints: { gateway: GATEWAY_ENTRY }, plugins: [nodeInspect, oneStartChunk] }),
]);

// Written in memory, then chunks first and the entries last by rename (index.js last of all): a
// gateway started while a build runs (tests in parallel) never sees an entry whose chunks are missing.
const entryRank = (path) => ({ 'gateway.js': 1, 'index.js': 2 })[basename(path)] ?? 0;
const fresh = new Set();
for (const file of [...cli.outputFiles, ...gateway.outputFiles].sort(
  (a, b) => entryRank(a.path) - entryRank(b.path),
)) {
  await mkdir(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  await writeFile(temp, file.contents, { mode: file.path.endsWith('/index.js') ? 0o755 : 0o644 });
  await rename(temp, file.path);
  fresh.add(basename(file.path));
}
// Chunks of earlier builds are removed once nothing can still be loading them (a release: at once).
const keepMs = release ? 0 : 10 * 60_000;
for (const name of await readdir('dist/chunks').catch(() => [])) {
  const path = `dist/chunks/${name}`;
  if (!fresh.has(name) && Date.now() - (await stat(path)).mtimeMs >= keepMs)
    await unlink(path).catch(() => {});
}
if (release)
  for (const map of ['dist/index.js.map', 'dist/gateway.js.map']) await unlink(map).catch(() => {});
const ui = await (await import('./build-ui.mjs')).buildControlUi();
await writeThirdPartyLicenses([cli.metafile, gateway.metafile, ui.metafile]);
