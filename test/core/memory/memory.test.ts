import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import type { KrabConfig } from '../../../src/core/config/schema';
import { createLogHub, type LogRecord } from '../../../src/core/log/logger';
import { createAgentMemory } from '../../../src/core/memory/agent-memory';
import { chunkMarkdown } from '../../../src/core/memory/chunk';
import { createEmbedder } from '../../../src/core/memory/embeddings';
import type { MemoryFs } from '../../../src/core/memory/fs';
import { MAX_FILE_BYTES, RESCAN_MS } from '../../../src/core/memory/memory-index';
import { IMPORTED_NOTES_PATH } from '../../../src/core/memory/migrate';
import { memoryFsOver } from '../../../src/core/memory/workspace-memory-fs';
import type { Store } from '../../../src/core/storage/store';
import { createStoreWorkspaceFs } from '../../../src/core/workspace/store-fs';
import { type FakeEmbeddings, startFakeEmbeddings } from '../../fakes/embeddings-server';
import { createManualClock, createMemoryStore } from '../../helpers/context';

const DAY = 86_400_000;

/** A memory over an in-store file system that counts reads, so "only changed files are read" is provable. */
/** Files in a Map: a fast far end for the 10,000-note case (the store workspace lists all keys per call). */
function mapFs(now: () => number): MemoryFs {
  const files = new Map<string, { text: string; mtimeMs: number }>();
  const encoder = new TextEncoder();
  return {
    list: async () =>
      [...files].map(([path, file]) => ({
        path,
        size: encoder.encode(file.text).length,
        mtimeMs: file.mtimeMs,
      })),
    async read(path, maxBytes) {
      const file = files.get(path);
      if (!file) return null;
      const bytes = encoder.encode(file.text);
      return { bytes: bytes.subarray(0, maxBytes), size: bytes.length };
    },
    append: async (path, text) =>
      void files.set(path, { text: (files.get(path)?.text ?? '') + text, mtimeMs: now() }),
    write: async (path, text) => void files.set(path, { text, mtimeMs: now() }),
  };
}

function setup(
  options: {
    store?: Store;
    clock?: ReturnType<typeof createManualClock>;
    config?: unknown;
    fs?: MemoryFs;
  } = {},
) {
  const store = options.store ?? createMemoryStore();
  const clock = options.clock ?? createManualClock(Date.UTC(2026, 0, 5, 9, 30));
  const hub = createLogHub({ write: () => {}, now: clock.now });
  const lines: LogRecord[] = [];
  hub.subscribe((record) => lines.push(record));
  const inner = options.fs ?? memoryFsOver(createStoreWorkspaceFs(store, 'main', clock.now));
  const reads: string[] = [];
  const fs: MemoryFs = {
    ...inner,
    read: (path, max) => {
      reads.push(path);
      return inner.read(path, max);
    },
  };
  let embedder: ReturnType<typeof createEmbedder>;
  if (options.config) {
    const parsed = parseConfigValue(options.config, {});
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    embedder = createEmbedder(parsed.value.config as KrabConfig, { EMB_API_KEY: 'emb-key' });
  }
  const memory = createAgentMemory({
    agentId: 'main',
    fs,
    store,
    log: hub.logger.scope('memory'),
    now: clock.now,
    embedder: () => embedder,
  });
  return { memory, store, clock, fs: inner, reads, lines };
}

describe('chunkMarkdown', () => {
  it('splits by heading, paragraph and list item, keeping 1-based line ranges', () => {
    const text =
      '# Family\n\nSister Ana lives in Porto.\nShe has two kids.\n\n- birthday: May 3\n- likes jazz\n  and blues\n## Work\nNew job at Acme';
    expect(chunkMarkdown(text)).toEqual([
      { from: 1, to: 1, text: 'Family', heading: 'Family' },
      { from: 3, to: 4, text: 'Sister Ana lives in Porto.\nShe has two kids.', heading: 'Family' },
      { from: 6, to: 6, text: '- birthday: May 3', heading: 'Family' },
      { from: 7, to: 8, text: '- likes jazz\n  and blues', heading: 'Family' },
      { from: 9, to: 9, text: 'Work', heading: 'Work' },
      { from: 10, to: 10, text: 'New job at Acme', heading: 'Work' },
    ]);
  });
});

describe('agent memory (Markdown files)', () => {
  it("memory_save appends to today's note and search cites path:line", async () => {
    const { memory, fs, clock } = setup();
    expect(await memory.save('The user likes green tea', ['drinks'])).toEqual({
      citation: 'memory/2026-01-05.md:3',
    });
    clock.advance(60_000);
    expect(await memory.save('Flight to Lisbon on Friday\nseat 14C')).toEqual({
      citation: 'memory/2026-01-05.md:4',
    });
    const file = await fs.read('memory/2026-01-05.md', 10_000);
    expect(new TextDecoder().decode(file!.bytes)).toBe(
      '# 2026-01-05\n\n- 09:30 The user likes green tea #drinks\n- 09:31 Flight to Lisbon on Friday\n  seat 14C\n',
    );
    const found = await memory.search('green tea', 5);
    expect(found.results[0]).toMatchObject({
      citation: 'memory/2026-01-05.md:3',
      text: '- 09:30 The user likes green tea #drinks',
    });
    expect((await memory.search('Lisbon', 5)).results[0]?.citation).toBe('memory/2026-01-05.md:4-5');
    expect(await memory.get('memory/2026-01-05.md', 4, 2)).toEqual({
      path: 'memory/2026-01-05.md',
      from: 4,
      to: 5,
      totalLines: 5,
      text: '- 09:31 Flight to Lisbon on Friday\n  seat 14C',
    });
  });

  it('ranks by BM25, then newest first among equal scores; MEMORY.md is searched too', async () => {
    const { memory, fs } = setup();
    await fs.write('memory/2025-12-01.md', '- parking spot is B12\n');
    await fs.write('memory/2026-01-02.md', '- parking spot is B12\n');
    await fs.write('MEMORY.md', '# Facts\n\nThe car is a blue Fiat; parking at home is free.\n');
    const { results } = await memory.search('parking spot', 5);
    expect(results.map((r) => r.citation)).toEqual([
      'memory/2026-01-02.md:1',
      'memory/2025-12-01.md:1',
      'MEMORY.md:3',
    ]);
  });

  it('answers a stop-word-only query and an unknown word with a clear note, and a 10,000-character query fast', async () => {
    const { memory } = setup();
    await memory.save('The user likes green tea');
    expect(await memory.search('the and of to is', 5)).toEqual({
      results: [],
      note: 'no results: the query has no searchable words (only common words like "the")',
    });
    expect(await memory.search('zebra', 5)).toEqual({ results: [], note: 'no results for: zebra' });
    const long = `${'lorem ipsum dolor sit amet '.repeat(400).slice(0, 9994)} green`;
    expect(long.length).toBe(10_000);
    expect((await memory.search(long, 5)).results).toHaveLength(1);
  });

  it('rebuilds incrementally: only changed files are read, and the index survives a restart', async () => {
    const store = createMemoryStore();
    const clock = createManualClock(Date.UTC(2026, 0, 5, 9, 30));
    const first = setup({ store, clock });
    await first.fs.write('memory/2026-01-01.md', '- first note about kayaks\n');
    await first.fs.write('memory/2026-01-02.md', '- second note about canoes\n');
    expect((await first.memory.search('kayaks', 5)).results).toHaveLength(1);
    expect(first.reads.sort()).toEqual(['memory/2026-01-01.md', 'memory/2026-01-02.md']);

    // A restart: a new memory over the same store reads no file that did not change.
    const second = setup({ store, clock });
    clock.advance(1000);
    await second.fs.write('memory/2026-01-02.md', '- second note about rafts\n');
    expect((await second.memory.search('rafts', 5)).results[0]?.citation).toBe('memory/2026-01-02.md:1');
    expect((await second.memory.search('kayaks', 5)).results[0]?.citation).toBe('memory/2026-01-01.md:1');
    expect(second.reads).toEqual(['memory/2026-01-02.md']);
    expect((await second.memory.search('canoes', 5)).results).toEqual([]);

    // Within RESCAN_MS a search does not look at the files again; after it, it does.
    await second.fs.write('memory/2026-01-03.md', '- third note about sails\n');
    expect((await second.memory.search('sails', 5)).results).toEqual([]);
    clock.advance(RESCAN_MS);
    expect((await second.memory.search('sails', 5)).results).toHaveLength(1);
    await second.fs.append('memory/2026-01-03.md', 'x'.repeat(0));
  });

  it('migrates the earlier JSON notes once into memory/imported-notes.md', async () => {
    const store = createMemoryStore();
    await store.set('memory:main', [
      { id: 'a', text: 'likes green tea', tags: ['drinks'], createdAt: Date.UTC(2025, 5, 1, 8, 0) },
      { id: 'b', text: 'birthday in May', createdAt: Date.UTC(2025, 5, 2, 8, 0) },
    ]);
    const { memory, fs, lines } = setup({ store });
    expect((await memory.search('birthday', 5)).results[0]?.citation).toBe(`${IMPORTED_NOTES_PATH}:4`);
    const text = new TextDecoder().decode((await fs.read(IMPORTED_NOTES_PATH, 10_000))!.bytes);
    expect(text).toBe(
      '# Notes imported from the earlier memory store\n\n- 2025-06-01 08:00 likes green tea #drinks\n- 2025-06-02 08:00 birthday in May\n',
    );
    expect(await store.get('memory:main')).toBeNull();
    expect(lines.filter((l) => l.message.includes('moved 2 note(s)'))).toHaveLength(1);
    // A second gateway start finds nothing left to migrate and keeps the file as it is.
    const again = setup({ store });
    await again.memory.search('tea', 5);
    expect(new TextDecoder().decode((await fs.read(IMPORTED_NOTES_PATH, 10_000))!.bytes)).toBe(text);
  });

  it('caps a 20 MB file and skips a binary .md, each with one log line', async () => {
    const { memory, fs, lines } = setup();
    const big = `- the secret word is xylophone\n\n${'filler line of text\n'.repeat(1_050_000)}- unreachable marmalade\n`;
    expect(big.length).toBeGreaterThan(20_000_000);
    await fs.write('memory/big.md', big);
    await fs.write('memory/blob.md', `PK\u0000\u0003${'\u0000'.repeat(64)}`);
    await fs.write('memory/ok.md', '- a normal note about marmalade\n');
    expect((await memory.search('xylophone', 5)).results[0]?.citation).toBe('memory/big.md:1');
    expect((await memory.search('marmalade', 5)).results.map((r) => r.citation)).toEqual(['memory/ok.md:1']);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([
      `memory/big.md is 20.0 MB: indexing its first ${MAX_FILE_BYTES / 1048576} MB only`,
      'skipping memory/blob.md: binary content',
    ]);
    await expect(memory.get('memory/blob.md')).rejects.toThrow(/binary content/);
  });

  it('memory_get refuses paths outside the memory files and ranges past the end', async () => {
    const { memory } = setup();
    await memory.save('one note');
    await expect(memory.get('../secrets.md')).rejects.toThrow(/not a memory file/);
    await expect(memory.get('memory/../../etc/passwd.md')).rejects.toThrow(/not a memory file/);
    await expect(memory.get('notes.txt')).rejects.toThrow(/not a memory file/);
    await expect(memory.get('memory/2026-01-05.md', 99)).rejects.toThrow(
      /has 3 lines; from 99 is past its end/,
    );
    await expect(memory.get('memory/none.md')).rejects.toThrow(/does not exist/);
    expect((await memory.get('./memory/2026-01-05.md')).text).toBe('# 2026-01-05\n\n- 09:30 one note');
  });

  it('searches 10,000 daily notes well under 100 ms', async () => {
    const clock = createManualClock();
    const { memory, fs } = setup({ clock, fs: mapFs(clock.now) });
    const topics = ['tea', 'kayak', 'dentist', 'invoice', 'garden', 'piano', 'train', 'birthday'];
    for (let i = 0; i < 10_000; i++) {
      const day = new Date(Date.UTC(2000, 0, 1) + i * DAY).toISOString().slice(0, 10);
      await fs.write(
        `memory/${day}.md`,
        `# ${day}\n\n- note ${i} about ${topics[i % topics.length]} and item${i}\n`,
      );
    }
    await memory.search('warm up', 5);
    const times: number[] = [];
    for (const query of ['dentist appointment', 'item4242', 'piano lesson', 'garden tea']) {
      const started = performance.now();
      const { results } = await memory.search(query, 5);
      times.push(performance.now() - started);
      expect(results.length).toBeGreaterThan(0);
    }
    // Generous against a loaded shared machine; the bench reports the real p50/p99.
    expect(Math.min(...times)).toBeLessThan(100);
  }, 60_000);
});

describe('hybrid search with embeddings', () => {
  let fake: FakeEmbeddings;
  beforeAll(async () => {
    fake = await startFakeEmbeddings();
  });
  afterAll(() => fake.close());

  it('finds a note by meaning when it shares no word with the query, and falls back to words when embeddings fail', async () => {
    const config = {
      models: { providers: { emb: { api: 'openai-chat', baseUrl: fake.baseUrl, apiKeyEnv: 'EMB_API_KEY' } } },
      memory: { embeddings: { provider: 'emb', model: 'fake-embed' } },
    };
    const { memory, lines } = setup({ config });
    await memory.save('Prefers espresso in the morning');
    await memory.save('Has a kitten named Miso');
    const { results } = await memory.search('what beverage', 5);
    expect(results[0]?.text).toMatch(/espresso/);
    expect(fake.requests[0]).toMatchObject({ model: 'fake-embed', authorization: 'Bearer emb-key' });
    // Each chunk is embedded once; later searches embed only the query.
    const embeddedChunks = fake.requests.slice(0, -1).flatMap((r) => r.input).length;
    await memory.search('animal', 5);
    expect(fake.requests.slice(0, -1).flatMap((r) => r.input).length).toBe(embeddedChunks + 1);
    fake.failWith(500);
    const words = await memory.search('kitten', 5);
    expect(words.results[0]?.text).toMatch(/kitten/);
    expect(lines.some((l) => l.level === 'warn' && /query embedding failed.*HTTP 500/.test(l.message))).toBe(
      true,
    );
    fake.failWith(undefined);
  });
});
