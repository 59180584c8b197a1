import type MiniSearch from 'minisearch';
import type { Chunk } from './chunk';
import { STOP_WORDS } from './stop-words';

/** One chunk as the search index holds it. */
export interface IndexedChunk extends Chunk {
  id: number;
  path: string;
  /** When it was written: the daily note's day, else the file's mtime (ranks ties, newest first). */
  at: number;
  vector?: Float32Array;
}

/** Query words past this many are ignored (a pasted 10,000-character query stays fast). */
export const MAX_QUERY_TERMS = 64;

export function processTerm(term: string): string | null {
  const word = term.toLowerCase();
  return word.length === 0 || STOP_WORDS.has(word) ? null : word;
}

let loaded: Promise<typeof MiniSearch> | undefined;

/** BM25 over chunks through `minisearch`, imported on first use (it is not needed at start). */
export async function createSearchIndex(): Promise<SearchIndex> {
  loaded ??= import('minisearch').then((module) => module.default);
  const MiniSearchClass = await loaded;
  const mini = new MiniSearchClass<IndexedChunk>({
    fields: ['text', 'heading'],
    processTerm,
    autoVacuum: false,
  });
  const tokenize = MiniSearchClass.getDefault('tokenize') as (text: string) => string[];
  return {
    add: (chunks) => mini.addAll(chunks),
    remove: (chunks) => {
      for (const chunk of chunks) mini.remove(chunk);
    },
    terms(query) {
      const seen = new Set<string>();
      for (const token of tokenize(query)) {
        const term = processTerm(token);
        if (term) seen.add(term);
        if (seen.size >= MAX_QUERY_TERMS) break;
      }
      return [...seen];
    },
    search(terms) {
      return mini
        .search(
          { combineWith: 'OR', queries: terms },
          {
            boost: { heading: 0.5 },
            // Words only: an id or number (`item4242`, `2026`) matches exactly, not its neighbours.
            prefix: (term) => term.length >= 4 && !/\d/.test(term),
            fuzzy: (term) => (term.length >= 6 && !/\d/.test(term) ? 0.15 : false),
          },
        )
        .map((hit) => ({ id: hit.id as number, score: hit.score }));
    },
  };
}

export interface SearchIndex {
  add(chunks: IndexedChunk[]): void;
  remove(chunks: IndexedChunk[]): void;
  /** The query's searchable words: lowercased, stop words dropped, deduplicated, capped. */
  terms(query: string): string[];
  /** BM25 scores (higher is better) of the chunks matching any of the terms. */
  search(terms: string[]): Array<{ id: number; score: number }>;
}
