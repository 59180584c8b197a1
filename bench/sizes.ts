import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

function dirSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += dirSize(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** Size of what a production install needs: the production dependency tree and the bundle. */
export function measureSizes(): { prodNodeModulesMiB: number; distMiB: number; bundleGzipKiB: number } {
  const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('node_modules'));
  // Count each package dir once, excluding nested node_modules (counted as their own entries).
  let total = 0;
  for (const dir of new Set(listing)) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      total += entry.isDirectory() ? dirSize(full) : statSync(full).size;
    }
  }
  // What a gateway process can load: the executable, which hands over to the gateway's own bundle.
  const js = [...new Set(['dist/index.js', ...reachableFrom('dist/gateway.js')])].map((path) =>
    readFileSync(path),
  );
  return {
    prodNodeModulesMiB: total / 1024 / 1024,
    distMiB: dirSize('dist') / 1024 / 1024,
    bundleGzipKiB: js.reduce((sum, buf) => sum + gzipSync(buf).length, 0) / 1024,
  };
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
