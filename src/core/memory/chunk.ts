/** A searchable piece of a memory file: one heading's paragraph or list item, with its 1-based line range. */
export interface Chunk {
  from: number;
  to: number;
  text: string;
  /** The nearest heading above it (searched too, so a bullet under "## Family" matches "family"). */
  heading?: string;
}

/** A chunk longer than this is cut into several (a long paragraph still cites precise lines). */
export const MAX_CHUNK_CHARS = 1200;

const HEADING = /^#{1,6}\s+(.*)$/;
const LIST_ITEM = /^(?:[-*+]|\d+[.)])\s+/;

/**
 * Splits Markdown into chunks: a heading, a blank line or a top-level list item starts a new one.
 * Lines keep their numbers so results can cite `path:from-to`.
 */
export function chunkMarkdown(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const lines = text.split(/\r?\n/);
  let heading: string | undefined;
  let start = -1;
  let buffer: string[] = [];
  let size = 0;
  const flush = (end: number) => {
    const body = buffer.join('\n').trim();
    if (body) chunks.push({ from: start + 1, to: end + 1, text: body, ...(heading ? { heading } : {}) });
    buffer = [];
    size = 0;
    start = -1;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const headingMatch = HEADING.exec(line);
    if (headingMatch) {
      flush(i - 1);
      heading = headingMatch[1]?.trim() || undefined;
      // The heading is its own chunk, so a search for a section's title finds the section.
      if (heading) chunks.push({ from: i + 1, to: i + 1, text: heading, heading });
      continue;
    }
    if (!line.trim() || LIST_ITEM.test(line) || size + line.length > MAX_CHUNK_CHARS) flush(i - 1);
    if (!line.trim()) continue;
    if (start < 0) start = i;
    buffer.push(line.length > MAX_CHUNK_CHARS ? line.slice(0, MAX_CHUNK_CHARS) : line);
    size += line.length + 1;
  }
  flush(lines.length - 1);
  return chunks;
}

/**
 * The text of a memory file's bytes, or why it cannot be indexed. A file cut at `maxBytes` ends
 * at its last whole line, so no character is split.
 */
export function decodeMemoryFile(
  bytes: Uint8Array,
  truncated: boolean,
): { text: string } | { problem: string } {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { problem: 'binary content' };
  let end = bytes.length;
  if (truncated) {
    const newline = bytes.lastIndexOf(10);
    if (newline > 0) end = newline;
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end)) };
  } catch {
    return { problem: 'not UTF-8 text' };
  }
}
