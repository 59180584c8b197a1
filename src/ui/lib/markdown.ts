import { type Inline, parseInline } from './markdown-inline';

/**
 * Markdown blocks for chat replies: headings, paragraphs, lists, quotes, fenced and indented code,
 * tables, rules. Written here rather than taken from marked or micromark: both hang or overflow the
 * stack on inputs a reply can hold (10,000 nested list levels, 10,000 `*`), measured. This parser is
 * line based, nests containers at most MAX_BLOCK_DEPTH deep (deeper lines stay text) and never
 * produces HTML: raw HTML in a reply is text.
 */
export type Block =
  | { type: 'heading'; level: number; content: Inline[] }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | {
      type: 'table';
      align: Array<'left' | 'center' | 'right' | undefined>;
      head: Inline[][];
      rows: Inline[][][];
    }
  | { type: 'rule' };

export const MAX_BLOCK_DEPTH = 12;
const MAX_COLUMNS = 64;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Parses a whole reply. */
export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, '\n').split('\n'), 0);
}

const blank = (line: string) => line.trim() === '';

/** Whether a line starts a block other than a paragraph (so it ends a paragraph). */
function interrupts(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || startsItem(line);
}

function startsItem(line: string): boolean {
  const match = ITEM.exec(line);
  // An empty bullet does not interrupt a paragraph (CommonMark), nor does an ordered item not starting at 1.
  return Boolean(match && line.slice(match[0].length).trim() !== '');
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] as string;
      const body: string[] = [];
      i++;
      while (i < lines.length) {
        const inner = lines[i] as string;
        const trimmed = inner.trimStart();
        if (
          trimmed.startsWith(marker) &&
          trimmed
            .slice(marker.length)
            .replace(marker[0] as string, '')
            .trim() === '' &&
          inner.length - trimmed.length < 4
        ) {
          i++;
          break;
        }
        body.push(inner);
        i++;
      }
      blocks.push({ type: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    if (/^(?: {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^(?: {4}|\t)/.test(lines[i] as string) || blank(lines[i] as string))) {
        body.push((lines[i] as string).replace(/^(?: {4}|\t)/, ''));
        i++;
      }
      while (body.length && blank(body[body.length - 1] as string)) body.pop();
      blocks.push({ type: 'code', lang: '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] as string).length;
      blocks.push({
        type: 'heading',
        level,
        content: parseInline(headingText(line.slice(heading[0].length))),
      });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !blank(lines[i] as string)) {
        const current = lines[i] as string;
        if (QUOTE.test(current)) inner.push(current.replace(QUOTE, ''));
        else if (inner.length && !interrupts(current))
          inner.push(current); // lazy continuation
        else break;
        i++;
      }
      blocks.push({ type: 'quote', children: nested(inner, depth) });
      continue;
    }
    if (ITEM.test(line)) {
      i = parseList(lines, i, depth, blocks);
      continue;
    }
    const table = i + 1 < lines.length && line.includes('|') ? parseTable(lines, i) : undefined;
    if (table) {
      blocks.push(table.block);
      i = table.end;
      continue;
    }
    const text: string[] = [];
    while (
      i < lines.length &&
      !blank(lines[i] as string) &&
      (text.length === 0 || !interrupts(lines[i] as string))
    ) {
      text.push((lines[i] as string).trim());
      i++;
    }
    blocks.push({ type: 'paragraph', content: parseInline(text.join('\n')) });
  }
  return blocks;
}

/** A heading's text without its optional closing `#`s (a plain scan: no backtracking regex on long lines). */
function headingText(rest: string): string {
  const text = rest.trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  return end === 0
    ? ''
    : end < text.length && /[ \t]/.test(text[end - 1] as string)
      ? text.slice(0, end).trim()
      : text;
}

/** A container's lines, parsed one level deeper; past MAX_BLOCK_DEPTH they stay one paragraph of text. */
function nested(lines: string[], depth: number): Block[] {
  if (depth + 1 >= MAX_BLOCK_DEPTH)
    return [{ type: 'paragraph', content: [{ type: 'text', text: lines.join('\n') }] }];
  return parseBlocks(lines, depth + 1);
}

/** A list from line `start`: items while the marker kind holds; returns the index after it. */
function parseList(lines: string[], start: number, depth: number, out: Block[]): number {
  const first = ITEM.exec(lines[start] as string) as RegExpExecArray;
  const ordered = /\d/.test(first[2] as string);
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i] as string);
    if (!match || /\d/.test(match[2] as string) !== ordered) break;
    const spaces = (match[3] as string).length;
    // Content indent: marker plus its spaces, or plus one when 5+ spaces start an indented code block.
    const indent = match[1]!.length + match[2]!.length + (spaces > 4 || spaces === 0 ? 1 : spaces);
    const body = [(lines[i] as string).slice(Math.min(indent, (lines[i] as string).length))];
    i++;
    while (i < lines.length) {
      const current = lines[i] as string;
      const lead = current.length - current.trimStart().length;
      if (blank(current)) {
        // A blank line stays in the item only when the item goes on after it.
        const next = lines[i + 1];
        if (next !== undefined && !blank(next) && next.length - next.trimStart().length >= indent) {
          body.push('');
          i++;
          continue;
        }
        break;
      }
      if (lead >= indent) body.push(current.slice(indent));
      else if (!interrupts(current) && !blank(body[body.length - 1] as string)) body.push(current.trim());
      else break;
      i++;
    }
    items.push(nested(body, depth));
    while (i < lines.length && blank(lines[i] as string) && ITEM.test(lines[i + 1] ?? '')) i++;
  }
  const startNumber = ordered ? Number.parseInt(first[2] as string, 10) : 1;
  out.push({ type: 'list', ordered, start: startNumber, items });
  return i;
}

/** Cells of a table row: split on `|` not escaped, outer pipes dropped. */
function cells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function parseTable(lines: string[], start: number): { block: Block; end: number } | undefined {
  const delimiter = lines[start + 1] as string;
  if (!TABLE_DELIMITER.test(delimiter) || !delimiter.includes('-')) return undefined;
  const head = cells(lines[start] as string).slice(0, MAX_COLUMNS);
  const marks = cells(delimiter);
  if (marks.length !== head.length) return undefined;
  const align = marks.map((mark) =>
    mark.startsWith(':') && mark.endsWith(':')
      ? 'center'
      : mark.endsWith(':')
        ? 'right'
        : mark.startsWith(':')
          ? 'left'
          : undefined,
  );
  const rows: Inline[][][] = [];
  let i = start + 2;
  while (i < lines.length && !blank(lines[i] as string) && (lines[i] as string).includes('|')) {
    const row = cells(lines[i] as string);
    rows.push(head.map((_, column) => parseInline(row[column] ?? '')));
    i++;
  }
  return { block: { type: 'table', align, head: head.map((cell) => parseInline(cell)), rows }, end: i };
}
