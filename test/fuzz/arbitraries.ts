import fc from 'fast-check';

/** Characters that break parsers: controls, quotes, lone surrogates, escapes, wide and RTL text. */
const NASTY = [
  '\u0000',
  '\u0001',
  '\n',
  '\r',
  '\t',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '💥',
  '𝕂',
  '%',
  '&',
  '=',
  '+',
  '$',
  '${',
  '}}',
  '<',
  '>',
  '/',
  '..',
  '#',
];

export const nastyChar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** Any text: random code points, short grapheme strings, and the classics (empty, null, NaN-ish numbers). */
export const junkText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: nastyChar, maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '0',
    '-0',
    '1e999',
    '-1',
    'NaN',
    '[]',
    '{}',
    '"x"',
    '{"a":',
    '__proto__',
    'constructor',
    'toString',
    '%00',
    '\u0000',
  ),
);

/** JSON values, including the awkward ones (`__proto__` keys, huge and negative numbers, deep nesting). */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1e308, -1e-308, 2 ** 53, '', null, [], {}),
  },
  {
    weight: 1,
    arbitrary: fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}')),
  },
  { weight: 1, arbitrary: fc.nat(300).map((depth) => nest(depth)) },
);

function nest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** One edit of a string: truncation, insertion, deletion or replacement of a character. */
export function mutatedString(base: string): fc.Arbitrary<string> {
  const at = fc.nat(base.length);
  return fc.oneof(
    at.map((i) => base.slice(0, i)),
    fc.tuple(at, nastyChar).map(([i, c]) => base.slice(0, i) + c + base.slice(i)),
    at.map((i) => base.slice(0, i) + base.slice(i + 1)),
    fc.tuple(at, nastyChar).map(([i, c]) => base.slice(0, i) + c + base.slice(i + 1)),
    fc.constant(base + base),
  );
}

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 400) return out;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pathsOf(item, [...prefix, i], out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

type Edit =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'stringify' }
  | { kind: 'wrap' }
  | { kind: 'add'; key: string; value: unknown };

function applyEdit(base: unknown, path: Path, edit: Edit): unknown {
  const root = structuredClone(base);
  const change = (current: unknown): unknown => {
    switch (edit.kind) {
      case 'set':
        return edit.value;
      case 'stringify':
        return typeof current === 'string' ? Number(current) : (JSON.stringify(current) ?? 'undefined');
      case 'wrap':
        return [current];
      case 'add':
        return current && typeof current === 'object' && !Array.isArray(current)
          ? { ...current, [edit.key]: edit.value }
          : current;
      default:
        return undefined;
    }
  };
  if (path.length === 0) return edit.kind === 'delete' ? undefined : change(root);
  let parent = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = change(parent[last]);
  }
  return root;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: jsonValue.map((value) => ({ kind: 'set' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stringify' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrap' as const }) },
  {
    weight: 1,
    arbitrary: fc.tuple(junkText, jsonValue).map(([key, value]) => ({ kind: 'add' as const, key, value })),
  },
);

/** A valid value with 1–3 structural edits at random paths (a field set to junk, deleted, retyped, wrapped, added). */
export function mutatedJson(base: unknown, edits = 3): fc.Arbitrary<unknown> {
  const one = (value: unknown) =>
    fc.tuple(fc.constantFrom(...pathsOf(value)), edit).map(([path, e]) => applyEdit(value, path, e));
  return fc.nat({ max: edits - 1 }).chain((extra) => {
    let arb = one(base);
    for (let i = 0; i < extra; i++) arb = arb.chain(one);
    return arb;
  });
}

/** A request body built from valid values: as is, structurally mutated, byte-mutated, or junk. */
export function bodyFrom(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return valid.chain((value) => {
    const text = JSON.stringify(value);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(text) },
      { weight: 4, arbitrary: mutatedJson(value).map((v) => JSON.stringify(v) ?? '') },
      { weight: 2, arbitrary: mutatedString(text) },
      { weight: 1, arbitrary: junkText },
      { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
    );
  });
}

/** Header values as a client might send them, right or wrong. */
export const headerJunk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'a'.repeat(600),
  ),
);

/** Whether a header value can go on a `Request` (no CR/LF/NUL, Latin-1 only); others are dropped. */
export function sendableHeader(value: string): boolean {
  return [...value].every((c) => c.charCodeAt(0) <= 0xff && !'\r\n\0'.includes(c));
}
