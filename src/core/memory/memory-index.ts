import { base64ToBytes, bytesToBase64 } from '../base64';
import type { Logger } from '../log/logger';
import type { Store } from '../storage/store';
import { type Chunk, chunkMarkdown, decodeMemoryFile } from './chunk';
import type { Embedder } from './embeddings';
import type { MemoryFileStat, MemoryFs } from './fs';
import { noteDay } from './paths';
import { createSearchIndex, type IndexedChunk, type SearchIndex } from './search-index';

/** Bytes of one memory file that are indexed; the rest of a bigger file is skipped (with a log line). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Files indexed at most, so a runaway folder cannot exhaust memory. */
export const MAX_FILES = 50_000;
/** Changed files read at once during a scan. */
const READ_BATCH = 32;
/** A search re-checks the files (size and mtime) when the last check is older than this. */
export const RESCAN_MS = 2000;
/** After an embeddings failure, searches use words only for this long (one log line, not one a search). */
export const EMBED_BACKOFF_MS = 60_000;

interface IndexedFile {
  size: number;
  mtimeMs: number;
  chunks: Chunk[];
  /** Why the file is not indexed (binary, not UTF-8), so it is not read again until it changes. */
  skipped?: string;
  /** Base64 Float32 embedding of each chunk, when embeddings are configured. */
  vectors?: Array<string | null>;
}

/** What survives a restart under `memory:index.<agentId>`: per file, its size, mtime and chunks. */
interface IndexState {
  v: 1;
  /** `provider/model` that made the stored vectors; a change re-embeds. */
  embedding?: string;
  files: Record<string, IndexedFile>;
}

export interface MemoryHit {
  path: string;
  from: number;
  to: number;
  text: string;
  score: number;
  at: number;
}

export interface MemoryIndex {
  /** Re-reads the files that changed (by size and mtime) and updates the index and the stored copy. */
  refresh(): Promise<void>;
  /** The next search re-checks the files (after memory_save wrote one). */
  markStale(): void;
  /** The best chunks for the query; `terms` empty means the query had no searchable words. */
  search(query: string, limit: number): Promise<{ hits: MemoryHit[]; terms: string[] }>;
}

export function createMemoryIndex(options: {
  fs: MemoryFs;
  store: Store;
  storeKey: string;
  log: Logger;
  now: () => number;
  embedder?: () => Embedder | undefined;
}): MemoryIndex {
  const { fs, store, storeKey, log, now } = options;
  let state: IndexState | undefined;
  let index: SearchIndex | undefined;
  const chunksByPath = new Map<string, IndexedChunk[]>();
  const byId = new Map<number, IndexedChunk>();
  let nextId = 1;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let embedPausedUntil = Number.NEGATIVE_INFINITY;
  const embedderNow = () => (now() < embedPausedUntil ? undefined : options.embedder?.());
  const embedFailed = (what: string, error: unknown) => {
    embedPausedUntil = now() + EMBED_BACKOFF_MS;
    log.warn(`${what} failed (${(error as Error).message}); searching by words only for a minute`);
  };

  function place(path: string, file: IndexedFile) {
    const old = chunksByPath.get(path);
    if (old) {
      index?.remove(old);
      for (const chunk of old) byId.delete(chunk.id);
    }
    const at = noteDay(path) ?? file.mtimeMs;
    const chunks = file.chunks.map((chunk, i): IndexedChunk => {
      const vector = file.vectors?.[i] ? toVector(file.vectors[i]) : undefined;
      return { ...chunk, id: nextId++, path, at, ...(vector ? { vector } : {}) };
    });
    chunksByPath.set(path, chunks);
    for (const chunk of chunks) byId.set(chunk.id, chunk);
    index?.add(chunks);
  }

  function unplace(path: string) {
    const old = chunksByPath.get(path);
    if (!old) return;
    index?.remove(old);
    for (const chunk of old) byId.delete(chunk.id);
    chunksByPath.delete(path);
  }

  async function indexFile(entry: MemoryFileStat): Promise<IndexedFile> {
    const base = { size: entry.size, mtimeMs: entry.mtimeMs, chunks: [] };
    const read = await fs.read(entry.path, MAX_FILE_BYTES);
    if (!read) return { ...base, skipped: 'gone' };
    const truncated = read.size > read.bytes.length;
    const decoded = decodeMemoryFile(read.bytes, truncated);
    if ('problem' in decoded) {
      log.warn(`skipping ${entry.path}: ${decoded.problem}`);
      return { ...base, skipped: decoded.problem };
    }
    if (truncated)
      log.warn(
        `${entry.path} is ${(read.size / 1048576).toFixed(1)} MB: indexing its first ${MAX_FILE_BYTES / 1048576} MB only`,
      );
    return { ...base, chunks: chunkMarkdown(decoded.text) };
  }

  async function embedMissing(current: IndexState, embedder: Embedder): Promise<boolean> {
    if (current.embedding !== embedder.id) {
      for (const file of Object.values(current.files)) delete file.vectors;
      current.embedding = embedder.id;
    }
    const todo: Array<{ path: string; file: IndexedFile; i: number }> = [];
    for (const [path, file] of Object.entries(current.files))
      file.chunks.forEach((_chunk, i) => {
        if (!file.vectors?.[i]) todo.push({ path, file, i });
      });
    if (todo.length === 0) return false;
    try {
      const vectors = await embedder.embed(todo.map(({ file, i }) => embedText(file.chunks[i]!)));
      todo.forEach(({ file, i }, n) => {
        file.vectors ??= file.chunks.map(() => null);
        const vector = vectors[n];
        file.vectors[i] = vector ? bytesToBase64(new Uint8Array(Float32Array.from(vector).buffer)) : null;
      });
      for (const path of new Set(todo.map((item) => item.path))) place(path, current.files[path]!);
      return true;
    } catch (error) {
      embedFailed('embeddings', error);
      return false;
    }
  }

  async function scan(): Promise<void> {
    if (!state) {
      const stored = await store.get<IndexState>(storeKey);
      state = stored?.v === 1 ? stored : { v: 1, files: {} };
      for (const [path, file] of Object.entries(state.files)) place(path, file);
    }
    const current = state;
    const listed = (await fs.list()).slice(0, MAX_FILES);
    let changed = false;
    const seen = new Set<string>();
    const stale: MemoryFileStat[] = [];
    for (const entry of listed) {
      seen.add(entry.path);
      const known = current.files[entry.path];
      if (!known || known.size !== entry.size || known.mtimeMs !== entry.mtimeMs) stale.push(entry);
    }
    // Changed files are read a batch at a time: the first scan of 10,000 notes is I/O bound.
    for (let i = 0; i < stale.length; i += READ_BATCH) {
      const batch = stale.slice(i, i + READ_BATCH);
      const files = await Promise.all(batch.map(indexFile));
      batch.forEach((entry, n) => {
        current.files[entry.path] = files[n]!;
        place(entry.path, files[n]!);
      });
      changed = true;
    }
    for (const path of Object.keys(current.files)) {
      if (seen.has(path)) continue;
      delete current.files[path];
      unplace(path);
      changed = true;
    }
    const embedder = embedderNow();
    if (embedder && (await embedMissing(current, embedder))) changed = true;
    if (changed) await store.set(storeKey, current);
    checkedAt = now();
  }

  async function refresh(): Promise<void> {
    // One scan at a time; callers arriving meanwhile share it.
    running ??= scan().finally(() => {
      running = undefined;
    });
    await running;
  }

  async function ensureIndex(): Promise<SearchIndex> {
    if (!index) {
      const built = await createSearchIndex();
      built.add([...byId.values()]);
      index = built;
    }
    return index;
  }

  return {
    refresh,
    markStale() {
      checkedAt = Number.NEGATIVE_INFINITY;
    },
    async search(query, limit) {
      if (now() - checkedAt >= RESCAN_MS) await refresh();
      const words = await ensureIndex();
      const terms = words.terms(query);
      if (terms.length === 0) return { hits: [], terms };
      const scored = new Map<number, number>();
      const lexical = words.search(terms);
      const top = lexical[0]?.score ?? 1;
      const embedder = embedderNow();
      let queryVector: Float32Array | undefined;
      if (embedder && byId.size > 0) {
        try {
          const [vector] = await embedder.embed([query.slice(0, 8000)]);
          queryVector = vector ? Float32Array.from(vector) : undefined;
        } catch (error) {
          embedFailed('query embedding', error);
        }
      }
      if (!queryVector) for (const hit of lexical) scored.set(hit.id, hit.score);
      else {
        // Hybrid: BM25 scaled to 0..1 (best hit = 1) weighted 0.3, cosine similarity weighted 0.7.
        for (const hit of lexical) scored.set(hit.id, 0.3 * (hit.score / top));
        for (const chunk of byId.values()) {
          if (!chunk.vector) continue;
          const similarity = cosine(queryVector, chunk.vector);
          if (similarity > 0.2) scored.set(chunk.id, (scored.get(chunk.id) ?? 0) + 0.7 * similarity);
        }
      }
      const hits = [...scored]
        .flatMap(([id, score]) => {
          const chunk = byId.get(id);
          return chunk ? [{ chunk, score }] : [];
        })
        // "Ranked by relevance, then by recency": scores equal to two decimals go newest first.
        .sort((a, b) => round(b.score) - round(a.score) || b.chunk.at - a.chunk.at)
        .slice(0, limit)
        .map(({ chunk, score }) => ({
          path: chunk.path,
          from: chunk.from,
          to: chunk.to,
          text: chunk.text,
          score: round(score),
          at: chunk.at,
        }));
      return { hits, terms };
    },
  };
}

const round = (score: number) => Math.round(score * 100) / 100;

function embedText(chunk: Chunk): string {
  return chunk.heading && chunk.heading !== chunk.text ? `${chunk.heading}\n${chunk.text}` : chunk.text;
}

function toVector(base64: string): Float32Array | undefined {
  const bytes = base64ToBytes(base64);
  return bytes && bytes.length % 4 === 0 ? new Float32Array(bytes.buffer) : undefined;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
