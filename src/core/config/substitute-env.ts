import type { EnvRecord } from '../env';
import { formatDottedPath } from './dotted-path';
import { FORBIDDEN_KEY_MESSAGE, isForbiddenKey } from './forbidden-keys';
import type { ConfigProblem } from './problems';

const VAR_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** True when a string is a `${VAR}` reference (kept as is wherever the gateway writes or shows config). */
export function hasEnvReference(value: string): boolean {
  return /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value);
}

/**
 * Replaces `${VAR}` in every string of a parsed document; an unset variable is a problem naming the
 * path. A `__proto__`/`constructor`/`prototype` key is a problem too, and is left out of the copy.
 */
export function substituteEnv(
  value: unknown,
  env: EnvRecord,
  problems: ConfigProblem[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR_RE, (_match, name: string) => {
      const replacement = env[name];
      if (replacement === undefined || replacement === '') {
        problems.push({ path: formatDottedPath(path), message: `environment variable ${name} is not set` });
        return '';
      }
      return replacement;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => substituteEnv(item, env, problems, [...path, index]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isForbiddenKey(key))
        problems.push({ path: formatDottedPath([...path, key]), message: FORBIDDEN_KEY_MESSAGE });
      else out[key] = substituteEnv(item, env, problems, [...path, key]);
    }
    return out;
  }
  return value;
}
