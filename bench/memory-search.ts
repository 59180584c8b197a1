// `node scripts/run-ts.mjs bench/memory-search.ts`: memory_search over BENCH_NOTES (10,000) daily
// notes on disk, through the real index (minisearch BM25) and the Node memory file walk.
// Reports the first search (walk, read and index every file), a later rescan (stat only, nothing
// changed), and warm searches p50/p99 over BENCH_QUERIES (200) queries.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeMemoryFs } from '../src/adapters/node/memory-fs';
import { createLogHub } from '../src/core/log/logger';
import { createAgentMemory } from '../src/core/memory/agent-memory';
import { RESCAN_MS } from '../src/core/memory/memory-index';
import { createStore } from '../src/core/storage/store';
import { median, percentile } from './lib';

const TOPICS = [
  'tea',
  'kayak',
  'dentist',
  'invoice',
  'garden',
  'piano',
  'train',
  'birthday',
  'lisbon',
  'taxes',
];
const DAY = 86_400_000;

export interface MemorySearchFigures {
  notes: number;
  firstMs: number;
  rescanMs: number;
  p50: number;
  p99: number;
}

export async function measureMemorySearch(notes = 10_000, queries = 200): Promise<MemorySearchFigures> {
  const workspace = mkdtempSync(join(tmpdir(), 'krab-memory-bench-'));
  try {
    mkdirSync(join(workspace, 'memory'));
    for (let i = 0; i < notes; i++) {
      const day = new Date(Date.UTC(2000, 0, 1) + i * DAY).toISOString().slice(0, 10);
      const topic = TOPICS[i % TOPICS.length];
      writeFileSync(
        join(workspace, 'memory', `${day}.md`),
        `# ${day}\n\n- 09:00 note ${i} about ${topic}, item${i}\n- 18:30 later: called about the ${topic} again\n`,
      );
    }
    let now = Date.now();
    const { default: memoryDriver } = await import('unstorage/drivers/memory');
    const memory = createAgentMemory({
      agentId: 'bench',
      fs: createNodeMemoryFs(workspace),
      store: createStore({ drivers: { default: memoryDriver() } }),
      log: createLogHub({ write: () => {}, now: () => now }).logger,
      now: () => now,
    });
    let started = performance.now();
    await memory.search('warm up', 5);
    const firstMs = performance.now() - started;
    now += RESCAN_MS;
    started = performance.now();
    await memory.search('rescan', 5);
    const rescanMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < queries; i++) {
      const query = `${TOPICS[i % TOPICS.length]} item${(i * 37) % notes}`;
      started = performance.now();
      const { results } = await memory.search(query, 5);
      times.push(performance.now() - started);
      if (results.length === 0) throw new Error(`no result for ${query}`);
    }
    return { notes, firstMs, rescanMs, p50: median(times), p99: percentile(times, 99) };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('memory-search.ts')) {
  const figures = await measureMemorySearch(
    Number(process.env.BENCH_NOTES ?? 10_000),
    Number(process.env.BENCH_QUERIES ?? 200),
  );
  console.log(JSON.stringify(figures));
}
