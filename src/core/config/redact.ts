import { secretNameForPath } from '../secret-names';
import { formatDottedPath } from './dotted-path';
import { getOwn, setOwn } from './forbidden-keys';
import type { ConfigProblem } from './problems';
import { REDACTED } from './redacted';

const SECRET_KEYS = new Set([
  'token',
  'bottoken',
  'apikey',
  'authtoken',
  'accesstoken',
  'appsecret',
  'webhooksecret',
  'verifytoken',
  'secret',
  'password',
  'privatekey',
  'clientsecret',
  'signingsecret',
]);

/** Secrets are recognised by their key name, wherever they sit in the config. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

const ONE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * The only form a secret field may take in `krabkrab.json`: exactly one `${VAR}` reference.
 * (`123:ABC${HOME}` or `tok${` merely contain one, and are literals with the secret inside.)
 */
export function isSecretReference(value: unknown): boolean {
  return typeof value === 'string' && ONE_REFERENCE.test(value);
}

/** A secret-named field holding anything but nothing (absent, null, '') or one `${VAR}` reference. */
function isLiteralSecret(key: string, value: unknown): boolean {
  return (
    isSecretKey(key) && value !== undefined && value !== null && value !== '' && !isSecretReference(value)
  );
}

/** A deep copy with every literal secret, whatever its shape, replaced by `REDACTED` (`${VAR}` references are shown as is). */
export function redactConfig<T>(value: T): T {
  return mapSecrets(value, () => REDACTED) as T;
}

/** Every literal secret value in a config (the strings and numbers inside it), for the log redactor. */
export function secretValues(value: unknown): string[] {
  const found: string[] = [];
  mapSecrets(value, (secret) => {
    found.push(...leaves(secret));
    return secret;
  });
  return found;
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

function mapSecrets(value: unknown, fn: (secret: unknown) => unknown, key = ''): unknown {
  if (isLiteralSecret(key, value)) return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, fn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // setOwn: a `__proto__` key stays a visible own key, for the parse step to report.
    for (const [k, item] of Object.entries(value)) setOwn(out, k, mapSecrets(item, fn, k));
    return out;
  }
  return value;
}

/** Why a literal secret is refused, with the env var to use when the path has a known one. */
export function literalSecretMessage(path: string): string {
  const name = secretNameForPath(path);
  const where = name
    ? `set ${name} in the environment (on Fly: fly secrets set ${name}=...), or store it with \`krabkrab secrets set ${name}\``
    : 'set it in the environment and reference it as "${VAR_NAME}" (the whole value, nothing around it)';
  return `secrets are not written to krabkrab.json: ${where}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Prepares a config the owner edited for writing (CLI `config set`/`unset` and WS `config.apply`): a `REDACTED` left in place takes the stored
 * value back; a new literal secret is refused, because secrets belong in env, not in the file.
 */
export function restoreSecrets(
  next: unknown,
  current: unknown,
  problems: ConfigProblem[],
  path: PropertyKey[] = [],
): unknown {
  if (next === REDACTED) {
    if (current !== undefined && current !== null) return current;
    problems.push({
      path: formatDottedPath(path),
      message: 'redacted value has no stored secret to keep; set it in env instead',
    });
    return undefined;
  }
  const key = String(path[path.length - 1] ?? '');
  if (isLiteralSecret(key, next) && !sameValue(next, current)) {
    problems.push({ path: formatDottedPath(path), message: literalSecretMessage(formatDottedPath(path)) });
    return undefined;
  }
  if (Array.isArray(next)) {
    return next.map((item, i) =>
      restoreSecrets(item, Array.isArray(current) ? current[i] : undefined, problems, [...path, i]),
    );
  }
  if (next && typeof next === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(next))
      setOwn(out, k, restoreSecrets(item, getOwn(current, k), problems, [...path, k]));
    return out;
  }
  return next;
}
