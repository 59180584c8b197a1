import { GatewayError } from '../errors';
import type { Logger } from '../log/logger';
import { keySegment, type Store } from '../storage/store';
import { decodeMemoryFile } from './chunk';
import type { Embedder } from './embeddings';
import type { MemoryFs } from './fs';
import { createMemoryIndex, MAX_FILE_BYTES } from './memory-index';
import { migrateJsonNotes } from './migrate';
import { checkMemoryPath, dailyNotePath } from './paths';

/** A search result's text is cut here; `memory_get` reads the whole cited range. */
const MAX_RESULT_CHARS = 700;
export const DEFAULT_GET_LINES = 50;
export const MAX_GET_LINES = 500;

export interface MemorySearchAnswer {
  results: Array<{ citation: string; text: string; score: number }>;
  /** Set when there is nothing to show, saying why. */
  note?: string;
}

/** One agent's memory: Markdown files in its workspace, searched through a persisted index. */
export interface AgentMemory {
  /** Appends a note to today's `memory/YYYY-MM-DD.md`; answers where it went (`path:line`). */
  save(text: string, tags?: string[]): Promise<{ citation: string }>;
  search(query: string, limit: number): Promise<MemorySearchAnswer>;
  /** Lines `from`.. of a memory file (1-based), as `memory_search` cites them. */
  get(
    path: string,
    from?: number,
    lines?: number,
  ): Promise<{ path: string; from: number; to: number; totalLines: number; text: string }>;
}

export function createAgentMemory(options: {
  agentId: string;
  fs: MemoryFs;
  store: Store;
  log: Logger;
  now: () => number;
  embedder?: () => Embedder | undefined;
}): AgentMemory {
  const { agentId, fs, store, log, now } = options;
  const index = createMemoryIndex({
    fs,
    store,
    storeKey: `memory:index.${keySegment(agentId)}`,
    log,
    now,
    ...(options.embedder ? { embedder: options.embedder } : {}),
  });
  let migrated: Promise<void> | undefined;
  const ready = () => {
    migrated ??= migrateJsonNotes({ agentId, fs, store, log }).catch((error) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
  // Saves are serialized so two notes never compute the same line number.
  let saving: Promise<unknown> = Promise.resolve();

  async function readText(path: string): Promise<string | null> {
    const read = await fs.read(path, MAX_FILE_BYTES);
    if (!read) return null;
    const decoded = decodeMemoryFile(read.bytes, read.size > read.bytes.length);
    if ('problem' in decoded)
      throw new GatewayError('BAD_REQUEST', `${path} cannot be read: ${decoded.problem}`);
    return decoded.text;
  }

  return {
    async save(text, tags) {
      await ready();
      const run = saving.then(async () => {
        const at = now();
        const path = dailyNotePath(at);
        const existing = await readText(path);
        const time = new Date(at).toISOString().slice(11, 16);
        const tagText = tags?.length ? ` ${tags.map((tag) => `#${tag.replace(/\s+/g, '-')}`).join(' ')}` : '';
        const body = text.trim().replace(/\r?\n/g, '\n  ');
        const header =
          existing === null ? `# ${path.slice(7, 17)}\n\n` : existing.endsWith('\n') || !existing ? '' : '\n';
        const before = (existing ?? '') + header;
        await fs.append(path, `${header}- ${time} ${body}${tagText}\n`);
        index.markStale();
        return { citation: `${path}:${before.split('\n').length}` };
      });
      saving = run.catch(() => undefined);
      return run;
    },
    async search(query, limit) {
      await ready();
      const { hits, terms } = await index.search(query, limit);
      if (terms.length === 0)
        return {
          results: [],
          note: 'no results: the query has no searchable words (only common words like "the")',
        };
      if (hits.length === 0) return { results: [], note: `no results for: ${terms.join(' ')}` };
      return {
        results: hits.map((hit) => ({
          citation: `${hit.path}:${hit.from === hit.to ? hit.from : `${hit.from}-${hit.to}`}`,
          text: hit.text.length > MAX_RESULT_CHARS ? `${hit.text.slice(0, MAX_RESULT_CHARS)}…` : hit.text,
          score: hit.score,
        })),
      };
    },
    async get(rawPath, from = 1, lines = DEFAULT_GET_LINES) {
      await ready();
      const path = checkMemoryPath(rawPath);
      const text = await readText(path);
      if (text === null) throw new GatewayError('NOT_FOUND', `${path} does not exist`);
      const all = text.split(/\r?\n/);
      if (all.at(-1) === '') all.pop();
      if (from > Math.max(1, all.length))
        throw new GatewayError(
          'INVALID_PARAMS',
          `${path} has ${all.length} lines; from ${from} is past its end`,
        );
      const slice = all.slice(from - 1, from - 1 + Math.min(lines, MAX_GET_LINES));
      return { path, from, to: from + slice.length - 1, totalLines: all.length, text: slice.join('\n') };
    },
  };
}
