// Copies into <dest>/node_modules the only modules the bundles load at run time: the externals of
// scripts/build.mjs (the WhatsApp Web library) and what they need, as package-lock.json pins them
// and this machine installed them (platform packages of other CPUs are absent and skipped).
// The image is the npm package's files plus these, instead of the whole production node_modules.
//   node scripts/runtime-modules.mjs <dest>      (run where `npm ci` installed the devDependencies)
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bare imports left in dist/ on purpose (scripts/build.mjs `external`). */
export const RUNTIME_MODULES = ['baileys'];

/** Lock paths (`node_modules/a/node_modules/b`) of `names` and everything they depend on, peers included. */
export function runtimeClosure(lock, names = RUNTIME_MODULES) {
  const packages = lock.packages ?? {};
  const found = new Set();
  // Node's lookup: the nearest node_modules/<name> walking up from the requiring package.
  const resolve = (from, name) => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!dir) return undefined;
    }
  };
  const visit = (path) => {
    if (found.has(path)) return;
    found.add(path);
    const entry = packages[path];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    for (const name of wanted) {
      const target = resolve(path, name);
      if (target) visit(target);
    }
  };
  for (const name of names) {
    const path = resolve('', name);
    if (!path) throw new Error(`${name} is not in package-lock.json`);
    visit(path);
  }
  return [...found].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node scripts/runtime-modules.mjs <dest>');
    process.exit(2);
  }
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  let copied = 0;
  for (const path of runtimeClosure(lock)) {
    if (!existsSync(path)) continue; // an optional package for another platform
    cpSync(path, join(dest, path), { recursive: true, verbatimSymlinks: true });
    copied++;
  }
  console.log(`[runtime-modules] ${copied} packages copied to ${join(dest, 'node_modules')}`);
}
