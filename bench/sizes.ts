import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a user installs and what a gateway can load: `npm pack` (prepack: the release build) installed
 * with `npm install -g` into a temp prefix, offline (the package needs nothing from the registry), and
 * the gzip size of the bundle a gateway can load. Runs `npm pack`, so dist/ is a release build after.
 */
export function measureSizes(): { installedMiB: number; installedFiles: number; bundleGzipKiB: number } {
  // What a gateway process can load: the executable, which hands over to the gateway's own bundle.
  const js = [...new Set(['dist/index.js', ...reachableFrom('dist/gateway.js')])].map((path) =>
    readFileSync(path),
  );
  const bundleGzipKiB = js.reduce((sum, buf) => sum + gzipSync(buf).length, 0) / 1024;
  const root = mkdtempSync(join(tmpdir(), 'krab-bench-pack-'));
  try {
    const env = { ...process.env, npm_config_cache: join(root, 'cache'), npm_config_offline: 'true' };
    const quiet = { env, stdio: 'ignore' } as const;
    execFileSync('npm', ['pack', '--pack-destination', root], quiet);
    const tarball = readdirSync(root).find((name) => name.endsWith('.tgz'))!;
    execFileSync('npm', ['install', '-g', '--prefix', join(root, 'prefix'), join(root, tarball)], quiet);
    const installed = dirStats(join(root, 'prefix/lib/node_modules/krabkrab'));
    return { installedMiB: installed.bytes / 1024 / 1024, installedFiles: installed.files, bundleGzipKiB };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function dirStats(path: string): { bytes: number; files: number } {
  const total = { bytes: 0, files: 0 };
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      const sub = dirStats(full);
      total.bytes += sub.bytes;
      total.files += sub.files;
    } else if (entry.isFile()) {
      total.bytes += statSync(full).size;
      total.files++;
    }
  }
  return total;
}

/**
 * An entry and every chunk it can load (static and dynamic imports), so chunks an earlier build
 * left behind, the CLI's other commands and the Worker and UI bundles are not counted.
 */
function reachableFrom(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+\.js)["']/g))
    reachableFrom(join(dirname(entry), specifier!), seen);
  return seen;
}
