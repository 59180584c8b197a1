// Builds the Control UI (src/ui) into dist/ui: one minified script and one stylesheet with
// content-hashed names, an index.html that references them, and the icon. No CDN, no runtime fetch.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const OUT = 'dist/ui';

/** Builds dist/ui and returns the shipped bytes, raw and gzip-compressed, and esbuild's metafile. */
export async function buildControlUi({ quiet = false } = {}) {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const result = await build({
    entryPoints: { app: 'src/ui/main.tsx' },
    outdir: OUT,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const js = outputs.find((name) => name.endsWith('.js'));
  const css = outputs.find((name) => name.endsWith('.css'));
  if (!js || !css) throw new Error(`UI build produced ${outputs.join(', ')}`);
  const template = await readFile('src/ui/index.html', 'utf8');
  await writeFile(
    `${OUT}/index.html`,
    template.replaceAll('%APP_JS%', `/ui/${js}`).replaceAll('%APP_CSS%', `/ui/${css}`),
  );
  await copyFile('src/ui/icon.svg', `${OUT}/icon.svg`);

  let raw = 0;
  let gzip = 0;
  for (const name of ['index.html', js, css, 'icon.svg']) {
    const bytes = await readFile(`${OUT}/${name}`);
    raw += bytes.byteLength;
    gzip += gzipSync(bytes, { level: 9 }).byteLength;
  }
  if (!quiet)
    console.log(
      `[build] control UI: ${(raw / 1024).toFixed(1)} kB, ${(gzip / 1024).toFixed(1)} kB gzip (dist/ui)`,
    );
  return { raw, gzip, metafile: result.metafile };
}

if (import.meta.url === `file://${process.argv[1]}`) await buildControlUi();
