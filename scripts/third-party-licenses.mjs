// Writes dist/THIRD-PARTY-LICENSES.md: the license of every package whose code the bundles carry.
// The package ships those libraries inside dist/ instead of as dependencies, so it must carry their
// notices too (MIT, ISC, BSD and Apache all ask for it); esbuild's *.LEGAL.txt files only hold the
// license comments some sources contain. Called by scripts/build.mjs with the builds' metafiles.
import { readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const THIRD_PARTY_LICENSES = 'dist/THIRD-PARTY-LICENSES.md';

/** The package folders (`node_modules/a`, `node_modules/@s/b/node_modules/c`) of the bundles' inputs. */
export function bundledPackageDirs(metafiles) {
  const dirs = new Set();
  for (const metafile of metafiles)
    for (const input of Object.keys(metafile.inputs)) {
      const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (dir) dirs.add(dir);
    }
  return [...dirs];
}

/** A package's name, version, declared license and license file text (undefined when it ships none). */
export function packageLicense(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir)
    .filter((name) => /^(licen[sc]e|copying)([.-]|$)/i.test(name))
    .sort()[0];
  const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : undefined;
  return { name: pkg.name, version: pkg.version, license, text };
}

/** The Markdown of the licenses, one section a package (by name, then version). */
function thirdPartyLicenses(metafiles) {
  const packages = bundledPackageDirs(metafiles)
    .map(packageLicense)
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const seen = new Set();
  const sections = [];
  for (const { name, version, license, text } of packages) {
    if (seen.has(`${name}@${version}`)) continue;
    seen.add(`${name}@${version}`);
    const body = text ?? `The package ships no license file; its package.json says "${license}".`;
    sections.push(`## ${name}@${version} (${license})\n\n\`\`\`\`text\n${body}\n\`\`\`\``);
  }
  return `# Third-party licenses\n\nThe files in dist/ bundle code of these ${sections.length} packages, under these licenses.\n\n${sections.join('\n\n')}\n`;
}

/** Written aside and renamed over, as scripts/build.mjs writes the bundles (tests may build in parallel). */
export async function writeThirdPartyLicenses(metafiles) {
  const temp = `${THIRD_PARTY_LICENSES}.${process.pid}.tmp`;
  await writeFile(temp, thirdPartyLicenses(metafiles));
  await rename(temp, THIRD_PARTY_LICENSES);
}
