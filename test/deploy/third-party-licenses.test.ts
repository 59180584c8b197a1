// dist/THIRD-PARTY-LICENSES.md names every package the bundles carry, with its license text: checked
// against the source maps of the build (global setup), which esbuild writes apart from the metafile
// the list is made from, and against the Control UI's library (its bundle has no maps).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledPackageDirs, packageLicense } from '../../scripts/third-party-licenses.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(repo, 'dist');

/** `name@version` of every node_modules package the source maps of dist/ name. */
function packagesInMaps(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js.map'))
        for (const source of (JSON.parse(readFileSync(path, 'utf8')) as { sources: string[] }).sources) {
          const packageDir = /^(?:\.\.\/)*(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
          // A library's own map may name what it bundled in turn (not a package of ours on disk).
          if (!packageDir || !existsSync(join(repo, packageDir, 'package.json'))) continue;
          const { name, version } = packageLicense(join(repo, packageDir));
          found.add(`${name}@${version}`);
        }
    }
  };
  walk(dist);
  return found;
}

describe('dist/THIRD-PARTY-LICENSES.md', () => {
  const text = readFileSync(join(dist, 'THIRD-PARTY-LICENSES.md'), 'utf8');
  const sections = new Map(
    [...text.matchAll(/^## (\S+@\S+) \(([^)]*)\)\n\n````text\n([\s\S]*?)\n````$/gm)].map((m) => [
      m[1]!,
      m[3]!,
    ]),
  );

  it('has a section for every package in the bundles, the Control UI’s included', () => {
    const bundled = packagesInMaps();
    expect(bundled.size).toBeGreaterThan(20);
    expect([...bundled].filter((pkg) => !sections.has(pkg))).toEqual([]);
    for (const name of ['zod', 'hono', 'grammy', 'ws', 'preact'])
      expect([...sections.keys()].some((pkg) => pkg.startsWith(`${name}@`))).toBe(true);
  });

  it('holds each package’s license text, or says that the package ships none', () => {
    expect(sections.get([...sections.keys()].find((pkg) => pkg.startsWith('zod@'))!)).toMatch(
      /Permission is hereby granted/,
    );
    for (const [pkg, body] of sections)
      expect([pkg, body.length > 100 || body.startsWith('The package ships no license file')]).toEqual([
        pkg,
        true,
      ]);
  });

  it('finds the package folder of scoped and nested inputs, and skips our own sources', () => {
    const metafile = {
      inputs: {
        'src/core/zod.ts': {},
        'node_modules/zod/v4/core/core.js': {},
        'node_modules/@discordjs/ws/dist/index.mjs': {},
        'node_modules/linkedom/node_modules/htmlparser2/dist/esm/index.js': {},
      },
    };
    expect(bundledPackageDirs([metafile]).sort()).toEqual([
      'node_modules/@discordjs/ws',
      'node_modules/linkedom/node_modules/htmlparser2',
      'node_modules/zod',
    ]);
  });
});
