import { type ConfigProblem, dottedPath } from './problems';
import { hasEnvReference } from './substitute-env';

/** What a secret looks like in anything the gateway shows; sent back unchanged, it keeps the stored value. */
export const REDACTED = '__redacted__';

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

function isLiteralSecret(key: string, value: unknown): value is string {
  return isSecretKey(key) && typeof value === 'string' && value !== '' && !hasEnvReference(value);
}

/** A deep copy with every literal secret replaced by `REDACTED` (`${VAR}` references are shown as is). */
export function redactConfig<T>(value: T): T {
  return mapSecrets(value, () => REDACTED) as T;
}

/** Every literal secret value in a config, for the log redactor. */
export function secretValues(value: unknown): string[] {
  const found: string[] = [];
  mapSecrets(value, (secret) => {
    found.push(secret);
    return secret;
  });
  return found;
}

function mapSecrets(value: unknown, fn: (secret: string) => string, key = ''): unknown {
  if (isLiteralSecret(key, value)) return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, fn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) out[k] = mapSecrets(item, fn, k);
    return out;
  }
  return value;
}

/**
 * Prepares a config the owner edited for writing: a `REDACTED` left in place takes the stored
 * value back; a new literal secret is refused, because secrets belong in env, not in the file.
 */
export function restoreSecrets(
  next: unknown,
  current: unknown,
  problems: ConfigProblem[],
  path: PropertyKey[] = [],
): unknown {
  if (next === REDACTED) {
    if (typeof current === 'string') return current;
    problems.push({
      path: dottedPath(path),
      message: 'redacted value has no stored secret to keep; set it in env instead',
    });
    return undefined;
  }
  const key = String(path[path.length - 1] ?? '');
  if (isLiteralSecret(key, next) && next !== current) {
    problems.push({
      path: dottedPath(path),
      message:
        'secrets are not written to krabkrab.json; set it in env (or `krabkrab secrets set`) or use a ${VAR} reference',
    });
    return undefined;
  }
  if (Array.isArray(next)) {
    return next.map((item, i) =>
      restoreSecrets(item, Array.isArray(current) ? current[i] : undefined, problems, [...path, i]),
    );
  }
  if (next && typeof next === 'object') {
    const cur = current && typeof current === 'object' ? (current as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(next))
      out[k] = restoreSecrets(item, cur[k], problems, [...path, k]);
    return out;
  }
  return next;
}
