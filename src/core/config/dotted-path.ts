import { GatewayError } from '../errors';
import { isForbiddenKey } from './forbidden-keys';

/** One step of a dotted path: an object key, or an array index (`[0]`). */
export type PathSegment = string | number;

/**
 * Parses `agents.list[0].id` or `channels.discord.guilds["123"].requireMention` into segments.
 * Bracketed numbers are indices; a quoted bracket holds a key that may contain dots.
 */
export function parseDottedPath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new GatewayError('BAD_REQUEST', `bad path ${JSON.stringify(text)}: ${why}`);
  };
  while (i < text.length) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail('missing ]');
      const inner = text.slice(i + 1, close);
      const quoted = /^(["'])(.*)\1$/.exec(inner);
      if (quoted) segments.push(quoted[2] ?? '');
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else fail(`expected [number] or ["key"], got [${inner}]`);
      i = close + 1;
      if (i < text.length && text[i] !== '.' && text[i] !== '[') fail(`expected . or [ after ]`);
      if (text[i] === '.') {
        i++;
        if (i === text.length) fail('ends with a dot');
      }
      continue;
    }
    let end = i;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
    const key = text.slice(i, end);
    if (key === '') fail('empty segment');
    segments.push(key);
    i = text[end] === '.' ? end + 1 : end;
    if (text[end] === '.' && i === text.length) fail('ends with a dot');
  }
  if (segments.length === 0) fail('empty path');
  for (const segment of segments) if (isForbiddenKey(segment)) fail(`${segment} is not allowed`);
  return segments;
}

/** A key printed as is: no path syntax (`.`, `[`, `]`, quotes), no space or control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a key holding one must be quoted
const PLAIN_KEY = /^[^.[\]"'\s\u0000-\u001f\u007f\u2028\u2029]+$/;

/**
 * The printable form of a path (`agents.list[0].id`, `guilds["1.2"].channels.#general`): the one
 * `config set`, config problems and protocol errors use, and the Control UI's schema form imports
 * (so a field finds its problems; keep this module's imports tiny). A key that is not plain is quoted, so the result
 * reads back with `parseDottedPath` and always stays on one line.
 */
export function formatDottedPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      if (PLAIN_KEY.test(key)) return index === 0 ? key : `.${key}`;
      // JSON escapes control characters but not U+2028/U+2029, which some terminals break lines at.
      return `[${JSON.stringify(key).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}]`;
    })
    .join('');
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** An array takes `[0]` or a digit key (`list.0`); an object takes any key. */
function step(container: Container, segment: PathSegment): { key: string | number; ok: boolean } {
  if (Array.isArray(container)) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    return { key: index, ok: index >= 0 };
  }
  return { key: String(segment), ok: true };
}

/** The value at a path, and whether it is there at all (a present `null` counts). */
export function getAtPath(
  root: unknown,
  segments: readonly PathSegment[],
): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const segment of segments) {
    if (!isContainer(node)) return { found: false };
    const { key, ok } = step(node, segment);
    if (!ok || !Object.hasOwn(node, key)) return { found: false };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { found: true, value: node };
}

/**
 * A copy of `root` with `value` at the path; missing objects (or arrays, before an index)
 * are created. Only the containers along the path are copied, so nothing else changes.
 */
export function setAtPath<T extends Record<string, unknown>>(
  root: T,
  segments: readonly PathSegment[],
  value: unknown,
): T {
  return setIn(root, segments, 0, value) as T;
}

function setIn(node: unknown, segments: readonly PathSegment[], index: number, value: unknown): unknown {
  if (index === segments.length) return value;
  const segment = segments[index] as PathSegment;
  const where = formatDottedPath(segments.slice(0, index)) || '(top level)';
  let container: Container;
  if (node === undefined) container = typeof segment === 'number' ? [] : {};
  else if (isContainer(node)) container = Array.isArray(node) ? [...node] : { ...node };
  else
    throw new GatewayError(
      'BAD_REQUEST',
      `${where} is a ${typeof node}, not an object: cannot set ${formatDottedPath(segments)}`,
    );
  const { key, ok } = step(container, segment);
  if (!ok)
    throw new GatewayError(
      'BAD_REQUEST',
      `${where} is an array: expected an index, got ${JSON.stringify(segment)}`,
    );
  if (Array.isArray(container) && (key as number) > container.length) {
    throw new GatewayError(
      'BAD_REQUEST',
      `${where} has ${container.length} item(s): index ${key} would leave a gap`,
    );
  }
  const current = Object.hasOwn(container, key)
    ? (container as Record<string | number, unknown>)[key]
    : undefined;
  (container as Record<string | number, unknown>)[key] = setIn(current, segments, index + 1, value);
  return container;
}

/** A copy of `root` without the value at the path, and whether there was one (array items are spliced out). */
export function unsetAtPath<T extends Record<string, unknown>>(
  root: T,
  segments: readonly PathSegment[],
): { value: T; removed: boolean } {
  if (!getAtPath(root, segments).found) return { value: root, removed: false };
  return { value: unsetIn(root, segments, 0) as T, removed: true };
}

function unsetIn(node: unknown, segments: readonly PathSegment[], index: number): unknown {
  const container = node as Container;
  const { key } = step(container, segments[index] as PathSegment);
  if (Array.isArray(container)) {
    const copy = [...container];
    if (index === segments.length - 1) copy.splice(key as number, 1);
    else copy[key as number] = unsetIn(copy[key as number], segments, index + 1);
    return copy;
  }
  const copy: Record<string, unknown> = { ...container };
  if (index === segments.length - 1) delete copy[key as string];
  else copy[key as string] = unsetIn(copy[key as string], segments, index + 1);
  return copy;
}
