// What `krabkrab gateway` loads before it answers: dist/gateway.js and the chunks it imports
// statically (the source maps name their sources). The start budget is kept by reading the build,
// not by timing it (the machines are shared): whatever only some configs or the first use of a
// feature need is loaded by a dynamic import(), and this list says which modules must stay out.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The files a start evaluates: the entry and its static imports, transitively. */
function staticGraph(entry: string): { files: string[]; sources: string[] } {
  const files: string[] = [];
  const sources = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(file, 'utf8');
    // esbuild's minified ESM: `import{a as b}from"./chunks/x.js";`, `import"y";`, `export{..}from"z";`
    for (const [, spec] of code.matchAll(
      /(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?"([^"]+)"/g,
    )) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!));
    }
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(source.replace(/^(\.\.\/)+/, ''));
  };
  visit(join(dist, entry));
  return { files, sources: [...sources] };
}

describe('the gateway start graph (dist/gateway.js, static imports)', () => {
  const graph = staticGraph('gateway.js');

  it('is a few files (scripts/build.mjs: each lazily imported module imports the gateway entry)', () => {
    // The ESM loader costs each file ~0.6 M instructions; the start's modules were 20 files before.
    expect(graph.files.length).toBeLessThanOrEqual(6);
  });

  it('holds the server, the config and the handlers', () => {
    expect(graph.sources).toContain('src/adapters/node/server.ts');
    expect(graph.sources.some((s) => s.startsWith('node_modules/zod/'))).toBe(true);
  });

  it.each([
    ['ws (the first WebSocket upgrade loads it)', /^node_modules\/ws\//],
    ['the Signal run (a config with channels.signal loads it)', /^src\/adapters\/node\/signal\/run\.ts$/],
    ["WhatsApp Cloud's run", /^src\/adapters\/node\/whatsapp\/cloud-run\.ts$/],
    ['the tunnels (ngrok, Tailscale)', /^src\/adapters\/node\/tunnel\/(ngrok|tailscale)\.ts$/],
    ["the voice webhooks' registration", /register-webhooks\.ts$/],
    ['the MCP connectors', /^src\/(adapters\/node|core)\/mcp\/(connect|connect-http|session)\.ts$/],
    // The turn code loads on the first turn (src/core/agent/lazy-runtime.ts).
    [
      'the agent turn code (runtime, model loop, compaction)',
      /^src\/core\/agent\/(runtime|model-loop|compactor)\.ts$/,
    ],
    ['the agent tools and their schemas', /^src\/core\/agent\/(tools|web)\//],
    [
      "the agents' memory (index, search, embeddings)",
      /^src\/core\/(memory\/(agent-memory|memory-index|search-index|embeddings)|agent\/memories)\.ts$/,
    ],
  ])('leaves out %s', (_what, pattern) => {
    expect(graph.sources.filter((s) => pattern.test(s))).toEqual([]);
  });
});
