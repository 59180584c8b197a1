import * as z from './zod';

const built = new WeakSet<z.ZodType>();

/**
 * A schema built on its first use (a parse, a JSON Schema walk) instead of at import: a start then
 * builds only the config sections its config has, and the Telegram update shape once an update
 * comes. Types infer through it. For schemas that are required in themselves (objects, arrays,
 * records, enums, strings): put `.optional()` outside, as the sections do.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): z.ZodLazy<T> {
  let inner: T | undefined;
  // Memoized here as well as by zod: its JSON Schema walk calls the getter again on its own.
  const schema = z.lazy(() => {
    if (inner) return inner;
    const made = build();
    if (made._zod.optin !== undefined || made._zod.optout !== undefined)
      throw new Error('lazySchema: the schema it builds must not be optional; put .optional() outside');
    built.add(schema);
    inner = made;
    return made;
  });
  // An object asks each of its keys' schemas whether they are optional, absent keys too, and a
  // lazy would build its schema to answer. Answered here instead (what the check above enforces),
  // so `section.optional()` stays unbuilt while the config has no such section.
  Object.defineProperties(schema._zod, {
    optin: { value: undefined, writable: true, configurable: true },
    optout: { value: undefined, writable: true, configurable: true },
  });
  return schema;
}

/** Whether a `lazySchema` has been built yet (what the start-cost tests check). */
export function isSchemaBuilt(schema: z.ZodType): boolean {
  return built.has(schema);
}
