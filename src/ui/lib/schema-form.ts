/** The part of JSON Schema the gateway's config schema uses (zod's `toJSONSchema`), as the form reads it. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  required?: string[];
  /** Set by `config.schema` on secrets: a password field, never a value shown. */
  writeOnly?: boolean;
  description?: string;
  minimum?: number;
  maximum?: number;
}

export type Path = Array<string | number>;

/** A copy of `doc` with `value` at `path` (undefined removes the key); parents are made as needed. */
export function setAt(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  if (typeof head === 'number') {
    const list = Array.isArray(doc) ? [...doc] : [];
    if (rest.length === 0 && value === undefined) list.splice(head, 1);
    else list[head] = setAt(list[head], rest, value);
    return list;
  }
  const record: Record<string, unknown> =
    doc && typeof doc === 'object' && !Array.isArray(doc) ? { ...(doc as Record<string, unknown>) } : {};
  const next = setAt(record[head], rest, value);
  if (next === undefined) delete record[head];
  else record[head] = next;
  return record;
}

/** The schema's main type, `null` and unions of one object set aside. */
export function kindOf(schema: JsonSchema): string {
  if (schema.enum) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  return 'unknown';
}

/**
 * The branch of an `anyOf` to edit the value with: the one whose type the value has, else the first
 * simple one (a model given as `"provider/model"` or as `{primary, fallbacks}`).
 */
export function branchFor(schema: JsonSchema, value: unknown): JsonSchema {
  const branches = schema.anyOf ?? [schema];
  const valueKind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const matching = branches.find((branch) => {
    const kind = kindOf(branch);
    return (
      kind === valueKind ||
      (kind === 'integer' && valueKind === 'number') ||
      (kind === 'enum' && valueKind === 'string')
    );
  });
  return matching ?? branches.find((branch) => kindOf(branch) !== 'null') ?? schema;
}

/** A number typed into a field: a number when it is one, the text itself otherwise (the gateway then names the path). */
export function parseNumberInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}

/** `Model`, `maxConcurrent` -> `Max concurrent`: a label from a key. */
export function labelOf(key: string | number): string {
  if (typeof key === 'number') return `#${key + 1}`;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
