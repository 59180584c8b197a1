/** A JSON object as read from openclaw.json (values not checked yet). */
export type Json = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export const isRecord = (value: unknown): value is Json =>
  Boolean(value && typeof value === 'object' && !Array.isArray(value));
