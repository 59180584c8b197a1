/**
 * Inline Markdown (code spans, emphasis, strikethrough, links, autolinks, line breaks) as a small
 * tree of plain data; the view turns it into Preact nodes, so text is never parsed as HTML.
 * Linear in the input: each delimiter search is a native `indexOf` whose misses are remembered,
 * and nesting stops at MAX_INLINE_DEPTH (deeper text stays text).
 */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'break' }
  | { type: 'em' | 'strong' | 'del'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export const MAX_INLINE_DEPTH = 8;
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const AUTOLINK = /^https?:\/\/[^\s<>"'`]+/;

/** `http:` and `https:` URLs only (no `javascript:`, `data:`, relative paths); the normalized href or undefined. */
export function safeHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/** Parses one paragraph's (or heading's, or cell's) text; `inLink`: a link's label, where no link may nest. */
export function parseInline(source: string, depth = 0, inLink = false): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  // Positions past which a delimiter is known to be absent: later searches for it are skipped.
  const absentAfter = new Map<string, number>();
  const find = (needle: string, from: number): number => {
    const known = absentAfter.get(needle);
    if (known !== undefined && from >= known) return -1;
    const at = source.indexOf(needle, from);
    if (at < 0) absentAfter.set(needle, from);
    return at;
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\' && i + 1 < source.length && PUNCTUATION.test(source[i + 1] as string)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      push({ type: 'break' });
      i++;
      continue;
    }
    if (c === '`') {
      let run = 1;
      while (source[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = find(fence, i + run);
      if (close >= 0 && source[close + run] !== '`') {
        const code = source.slice(i + run, close).replace(/\n/g, ' ');
        const trimmed = /^ .*[^ ].* $/.test(code) ? code.slice(1, -1) : code;
        push({ type: 'code', text: trimmed });
        i = close + run;
      } else {
        text += fence;
        i += run;
      }
      continue;
    }
    if ((c === '*' || c === '_' || c === '~') && depth < MAX_INLINE_DEPTH) {
      const span = emphasis(source, i, depth, inLink, find);
      if (span) {
        push(span.node);
        i = span.end;
        continue;
      }
      let run = 1;
      while (source[i + run] === c) run++;
      text += source.slice(i, i + run);
      i += run;
      continue;
    }
    if ((c === '[' || (c === '!' && source[i + 1] === '[')) && depth < MAX_INLINE_DEPTH && !inLink) {
      const link = linkAt(source, c === '!' ? i + 1 : i, depth, find);
      if (link) {
        push(link.node);
        i = link.end;
        continue;
      }
    }
    if (c === '<' && !inLink) {
      const close = find('>', i + 1);
      const href = close > 0 && close - i < 2048 ? safeHref(source.slice(i + 1, close)) : undefined;
      if (href && !/\s/.test(source.slice(i + 1, close))) {
        push({ type: 'link', href, children: [{ type: 'text', text: source.slice(i + 1, close) }] });
        i = close + 1;
        continue;
      }
    }
    if (
      !inLink &&
      (c === 'h' || c === 'H') &&
      source.slice(i, i + 4).toLowerCase() === 'http' &&
      (i === 0 || /[\s(]/.test(source[i - 1] as string))
    ) {
      const match = AUTOLINK.exec(source.slice(i, i + 2048));
      if (match) {
        const raw = match[0].replace(/[.,;:!?)]+$/, '');
        const href = safeHref(raw);
        if (href) {
          push({ type: 'link', href, children: [{ type: 'text', text: raw }] });
          i += raw.length;
          continue;
        }
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

type Find = (needle: string, from: number) => number;

/** `*em*`, `**strong**`, `***both***`, `_em_`, `__strong__`, `~~del~~` starting at `i`, when it closes. */
function emphasis(
  source: string,
  i: number,
  depth: number,
  inLink: boolean,
  find: Find,
): { node: Inline; end: number } | undefined {
  const c = source[i] as string;
  let run = 1;
  while (source[i + run] === c) run++;
  if (c === '~' ? run !== 2 : run > 3) return undefined;
  // Left-flanking opener; `_` not inside a word (snake_case stays text).
  const next = source[i + run];
  if (next === undefined || /\s/.test(next)) return undefined;
  if (c === '_' && i > 0 && /[\p{L}\p{N}]/u.test(source[i - 1] as string)) return undefined;
  const delimiter = c.repeat(run);
  let from = i + run + 1;
  for (let tries = 0; tries < 8; tries++) {
    const close = find(delimiter, from);
    if (close < 0) return undefined;
    const before = source[close - 1] as string;
    const after = source[close + run];
    const rightFlanking = !/\s/.test(before) && after !== c;
    const wordEnd = c !== '_' || after === undefined || !/[\p{L}\p{N}]/u.test(after);
    if (rightFlanking && wordEnd) {
      const inner = parseInline(source.slice(i + run, close), depth + 1, inLink);
      const node: Inline =
        c === '~'
          ? { type: 'del', children: inner }
          : run === 1
            ? { type: 'em', children: inner }
            : run === 2
              ? { type: 'strong', children: inner }
              : { type: 'strong', children: [{ type: 'em', children: inner }] };
      return { node, end: close + run };
    }
    from = close + 1;
  }
  return undefined;
}

/** `[text](url)` (or `![alt](url)`, shown as a link: no remote image loads) starting at `i`. */
function linkAt(
  source: string,
  i: number,
  depth: number,
  find: Find,
): { node: Inline; end: number } | undefined {
  const close = find(']', i + 1);
  if (close < 0 || source[close + 1] !== '(') return undefined;
  const end = find(')', close + 2);
  if (end < 0 || end - close > 2048) return undefined;
  const target = source.slice(close + 2, end).trim();
  const url = (target.startsWith('<') ? target.slice(1, target.indexOf('>')) : target.split(/\s+/)[0]) ?? '';
  const nested = source.indexOf('[', i + 1);
  if (nested >= 0 && nested < close) return undefined;
  const label = source.slice(i + 1, close);
  const href = safeHref(url);
  // A link to anything but http(s) keeps its label as plain text: nothing to click.
  if (!href) return { node: { type: 'text', text: label }, end: end + 1 };
  return { node: { type: 'link', href, children: parseInline(label, depth + 1, true) }, end: end + 1 };
}
