/** Discord refuses message content longer than this. */
export const DISCORD_TEXT_LIMIT = 2000;

const FENCE = /^\s*(```|~~~)/;

/**
 * Splits a reply into messages of at most `limit` characters, at line breaks, so that a code
 * block cut in two is closed at the end of one message and reopened (same language) in the next:
 * each message renders on its own. Lines longer than a message are cut at a space when one is near.
 */
export function splitDiscordText(text: string, limit = DISCORD_TEXT_LIMIT): string[] {
  if (text.length <= limit) return text.trim() === '' ? [] : [text];
  const reserve = Math.min(100, Math.floor(limit / 4));
  const out: string[] = [];
  let lines: string[] = [];
  let size = -1;
  let open: string | undefined;

  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  const flush = () => {
    const body = lines.join('\n') + (open ? `\n${fenceMarker(open)}` : '');
    if (body.trim() !== '') out.push(body);
    lines = [];
    size = -1;
    if (open) push(open);
  };

  for (const line of text.split('\n').flatMap((l) => cutLine(l, limit - reserve))) {
    const fence = FENCE.test(line);
    const openAfter = fence ? (open ? undefined : opener(line, reserve)) : open;
    const need = size + 1 + line.length + (openAfter ? fenceMarker(openAfter).length + 1 : 0);
    if (need > limit && lines.length > 0) flush();
    push(line);
    open = openAfter;
  }
  flush();
  return out;
}

/** The line that reopens a block: its marker and language only, short enough to always fit. */
function opener(line: string, max: number): string {
  return line.trim().slice(0, Math.max(3, Math.min(20, max - 8)));
}

function fenceMarker(open: string): string {
  return open.startsWith('~~~') ? '~~~' : '```';
}

function cutLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > max / 2 ? space : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  parts.push(rest);
  return parts;
}
