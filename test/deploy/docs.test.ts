// The README and the conventions files name real things: the files and folders they point at exist,
// the npm scripts they tell you to run are in package.json, the README's #links reach a heading, and
// the README's "Install from npm" (dropped once in a merge) says what the package test runs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BAILEYS_VERSION } from '../../src/adapters/node/whatsapp/baileys-loader';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string) => readFileSync(`${root}${name}`, 'utf8');
const DOCS = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'docs/ARCHITECTURE.md'];
const scripts = Object.keys(JSON.parse(read('package.json')).scripts);

/** Text outside fenced code blocks (a `# comment` in a shell block is not a heading). */
const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

describe.each(DOCS)('%s', (name) => {
  const text = read(name);
  const base = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';

  it('links to files that exist', () => {
    const targets = [...text.matchAll(/\]\((?!https?:|mailto:|#)([^)#\s]+)/g)].map((m) => `${base}${m[1]}`);
    expect(targets.filter((target) => !existsSync(`${root}${target}`))).toEqual([]);
  });

  it('names repository paths that exist (placeholders such as <id> aside)', () => {
    const paths = [
      ...text.matchAll(/`((?:src|test|scripts|bench|docs|\.ci|\.github)\/[^`\s*<]+?)[:,]?`/g),
    ].map((m) => m[1]!);
    expect(paths.filter((path) => !existsSync(`${root}${path}`))).toEqual([]);
  });

  it('tells you to run only npm scripts that package.json has', () => {
    const named = [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
  });
});

describe('README.md', () => {
  const text = read('README.md');

  it('links only to headings it has', () => {
    const headings = new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
    const anchors = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(anchors.length).toBeGreaterThan(0);
    expect(anchors.filter((anchor) => !headings.has(anchor))).toEqual([]);
  });

  it('"Install from npm" gives the commands the package test runs and the WhatsApp Web install', () => {
    const section = (/^## Install from npm$([\s\S]*?)^## /m.exec(text)?.[1] ?? '').replace(/\s+/g, ' ');
    for (const command of [
      'npm i -g krabkrab',
      'npx krabkrab gateway --allow-unconfigured',
      'krabkrab gateway --allow-unconfigured',
      'krabkrab --version',
      `baileys@${BAILEYS_VERSION}`,
      'no source maps',
    ])
      expect(section).toContain(command);
  });
});
