/**
 * Splits a reply into messages of at most `limit` characters, preferring paragraph breaks, then
 * line breaks, then spaces. A code fence cut in two is closed at the end of one chunk and
 * reopened (with its language) at the start of the next, so each chunk renders on its own.
 */
export function chunkText(text: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('chunkText: limit must be at least 20');
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed ? [trimmed] : [];
  const chunks: string[] = [];
  let rest = trimmed;
  let openFence: string | undefined;
  // Each pass takes at least one character, so this ends; the bound is a guard.
  for (let guard = 0; rest.length > 0 && guard < text.length + 10; guard++) {
    // Reopen a cut fence with its language, unless that opener would eat the chunk.
    const opener =
      openFence === undefined
        ? undefined
        : openFence.length <= limit / 4
          ? openFence
          : /^(`+|~+)/.exec(openFence)?.[1];
    const prefix = opener !== undefined ? `${opener}\n` : '';
    if (prefix.length + rest.length <= limit) {
      chunks.push(prefix + rest);
      break;
    }
    // Room for the prefix and a closing fence.
    const room = Math.max(1, limit - prefix.length - 8);
    let cut = findCut(rest, room);
    let piece = rest.slice(0, cut);
    const fenceAfter = fenceState(piece, openFence);
    let body = prefix + piece.trimEnd();
    if (fenceAfter !== undefined) body += `\n${/^(`+|~+)/.exec(fenceAfter)?.[1] ?? '```'}`;
    if (body.length > limit) {
      // A long fence opener in the prefix; fall back to a hard cut that fits.
      cut = Math.max(1, cut - (body.length - limit));
      piece = rest.slice(0, cut);
      body = prefix + piece;
    }
    chunks.push(body.trim());
    openFence = fenceState(piece, openFence);
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  return chunks.filter((chunk) => chunk.length > 0);
}

/** The best place to cut within `room` characters: a paragraph, else a line, else a space, else hard. */
function findCut(text: string, room: number): number {
  const window = text.slice(0, room + 1);
  const floor = Math.floor(room * 0.3);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > floor) return at + (separator === ' ' ? 1 : 0);
  }
  return room;
}

/** After `piece`, the fence opener (```lang) still open, if any, given the one open before it. */
function fenceState(piece: string, open: string | undefined): string | undefined {
  let current = open;
  for (const line of piece.split('\n')) {
    const match = /^\s*(```+|~~~+)(.*)$/.exec(line);
    if (!match) continue;
    current = current === undefined ? `${match[1]}${(match[2] ?? '').trim()}` : undefined;
  }
  return current;
}
