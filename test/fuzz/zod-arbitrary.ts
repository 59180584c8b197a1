import fc from 'fast-check';
import type { z } from 'zod';
import { jsonValue, junkText } from './arbitraries';

/** Strings that mean something to the gateway, by the object key they go under (`*`: any key). */
export type Words = Record<string, readonly string[]>;

/**
 * Values shaped by a zod 4 schema (objects with their keys, enums, literals, unions, arrays,
 * records, length, pattern and range limits roughly kept), so the fuzz reaches the handler
 * behind the schema and not only the schema. Strings come from `words` (for their key, else
 * `*`) or are random; anything unknown becomes a random JSON value.
 */
export function arbitraryFor(
  schema: z.ZodType,
  words: Words = {},
  depth = 0,
  key = '*',
): fc.Arbitrary<unknown> {
  const def = schema._zod.def as unknown as Def;
  const inner = (s: unknown, childKey = key) => arbitraryFor(s as z.ZodType, words, depth + 1, childKey);
  if (depth > 6) return jsonValue;
  switch (def.type) {
    case 'string':
      return stringFor(def, words[key] ?? words['*'] ?? []);
    case 'number': {
      const min = checkValue(def, 'greater_than') ?? -1e6;
      const max = checkValue(def, 'less_than') ?? 1e6;
      const integer =
        def.format === 'safeint' || (def.checks ?? []).some((c) => c._zod.def.format === 'safeint');
      const inRange = integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true });
      return fc.oneof(
        { weight: 4, arbitrary: inRange },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 1e9, Number.MAX_SAFE_INTEGER) },
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return fc.oneof(
        { weight: 3, arbitrary: inner(def.innerType) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
    case 'pipe':
      return inner(def.in);
    case 'lazy':
      return def.getter ? inner(def.getter()) : jsonValue;
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => inner(option)));
    case 'array':
      return fc.array(inner(def.element), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items ?? []).map((item) => inner(item)));
    case 'record':
      return fc.dictionary(
        fc.oneof(fc.constantFrom(...(words['*'] ?? []), 'main'), junkText),
        inner(def.valueType),
        { maxKeys: 3 },
      );
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const optional = (name: string) =>
        ['optional', 'default'].includes((shape[name] as z.ZodType)._zod.def.type);
      return fc.record(Object.fromEntries(keys.map((name) => [name, inner(shape[name], name)])), {
        requiredKeys: keys.filter((name) => !optional(name)),
      });
    }
    default:
      return jsonValue;
  }
}

interface Check {
  _zod: {
    def: {
      check?: string;
      minimum?: number;
      maximum?: number;
      value?: number;
      format?: string;
      pattern?: RegExp;
    };
  };
}
interface Def {
  type: string;
  checks?: Check[];
  format?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  getter?: () => unknown;
  options?: unknown[];
  element?: unknown;
  items?: unknown[];
  valueType?: unknown;
  shape?: Record<string, unknown>;
}

function checkValue(def: Def, kind: 'greater_than' | 'less_than'): number | undefined {
  const found = (def.checks ?? []).find((c) => c._zod.def.check === kind);
  return found?._zod.def.value;
}

function stringFor(def: Def, words: readonly string[]): fc.Arbitrary<string> {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 200;
  const pattern = checks.find((c) => c.format === 'regex')?.pattern;
  const fitting = words.filter((w) => w.length >= min && w.length <= max && (!pattern || pattern.test(w)));
  const random = fc.string({ minLength: min, maxLength: Math.min(max, min + 40) });
  if (!fitting.length) return random;
  return fc.oneof(
    { weight: pattern ? 8 : 3, arbitrary: fc.constantFrom(...fitting) },
    { weight: 2, arbitrary: random },
  );
}
