/**
 * Keys that name an object's prototype machinery. Both JSON.parse and JSON5 keep them as own
 * properties, but any later `out[key] = value` copy turns `__proto__` into the copy's prototype, and
 * the settings inside then take effect while no listing shows them. So config treats all three as
 * problems, and every copy step defines own properties instead of assigning.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: PropertyKey): boolean {
  return typeof key === 'string' && FORBIDDEN_KEYS.has(key);
}

export const FORBIDDEN_KEY_MESSAGE =
  'not allowed as a config key (it names the prototype machinery, and its settings would take effect unseen)';

/** How import-openclaw lists such a key among what it did not map. */
export const FORBIDDEN_KEY_NOTE = `${FORBIDDEN_KEY_MESSAGE.replace(/ \(.*\)$/, '')}: not copied`;

/** `target[key] = value` that stays an own data property even for `__proto__`. */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `target[key]` if `key` is an own property (never an inherited one such as `Object.prototype`). */
export function getOwn(target: unknown, key: string): unknown {
  return target !== null && typeof target === 'object' && Object.hasOwn(target, key)
    ? (target as Record<string, unknown>)[key]
    : undefined;
}
