import type { z } from '../zod';

/** A zod schema as the code that walks the config schema sees it. */
export type SchemaNode = z.core.$ZodType;

/** The parts of zod's `def` that the walkers read (which ones are set depends on `type`). */
export interface SchemaDef {
  type: string;
  shape?: Record<string, SchemaNode>;
  innerType?: SchemaNode;
  valueType?: SchemaNode;
  element?: SchemaNode;
  options?: SchemaNode[];
  in?: SchemaNode;
}

export function schemaDef(node: SchemaNode): SchemaDef {
  return node._zod.def as unknown as SchemaDef;
}

/**
 * The concrete schemas behind optional/default/pipe/union wrappers and lazies (a lazy section is
 * built here if it was not yet: whoever walks into it needs it).
 */
export function unwrapSchema(node: SchemaNode): SchemaNode[] {
  const def = schemaDef(node);
  if (def.innerType) return unwrapSchema(def.innerType);
  if (def.type === 'lazy') return unwrapSchema((node as z.core.$ZodLazy)._zod.innerType);
  if (def.type === 'pipe' && def.in) return unwrapSchema(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrapSchema);
  return [node];
}

/** The schema of `key` in an object schema: own properties only (`constructor` names no setting). */
export function fieldSchema(node: SchemaNode, key: string): SchemaNode | undefined {
  const shape = schemaDef(node).shape;
  return shape && Object.hasOwn(shape, key) ? shape[key] : undefined;
}
