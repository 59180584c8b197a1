import { formatDottedPath, type PathSegment } from '../../../core/config/dotted-path';
import { isForbiddenKey, FORBIDDEN_KEY_NOTE as ODD_KEY } from '../../../core/config/forbidden-keys';
import { isSecretKey } from '../../../core/config/redact';
import { fieldSchema, type SchemaNode, schemaDef, unwrapSchema } from '../../../core/config/schema-walk';
import { hasEnvReference } from '../../../core/config/substitute-env';
import type { Reporter } from './report';

/** Broader than the config's own secret keys: anything named like a credential in OpenClaw's files. */
const SECRET_NAME = /(token|secret|password|passwd|apikey|api_key|privatekey|credential)s?$/i;

function isSecretName(key: string): boolean {
  return isSecretKey(key) || SECRET_NAME.test(key);
}

/** Names the env var a secret at a krabkrab path should come from, when there is a convention for it. */
export type SecretNamer = (path: PathSegment[], parent: Record<string, unknown>) => string | undefined;

/**
 * Copies from `value` only what the krabkrab schema has a place for: unknown keys are reported
 * (by path, never by value) and left out; literal secrets are left out and reported with the env
 * var to set instead (a `${VAR}` reference is kept). Values are not checked here: the schema
 * check after this removes the ones it rejects.
 */
export function projectOntoSchema(
  value: unknown,
  schema: SchemaNode,
  report: Reporter,
  nameSecret: SecretNamer,
): unknown {
  return project(value, unwrapSchema(schema), [], report, nameSecret);
}

function project(
  value: unknown,
  nodes: SchemaNode[],
  path: PathSegment[],
  report: Reporter,
  nameSecret: SecretNamer,
): unknown {
  const where = formatDottedPath(path);
  const kinds = new Set(nodes.map((node) => schemaDef(node).type));
  if (kinds.has('unknown') || kinds.has('any')) return stripSecrets(value, path, report, nameSecret);
  if (Array.isArray(value)) {
    const elements = nodes.flatMap((node) => {
      const { type, element } = schemaDef(node);
      return type === 'array' && element ? unwrapSchema(element) : [];
    });
    if (elements.length === 0) return skipShape(report, where, 'a list');
    return value
      .map((item, index) => project(item, elements, [...path, index], report, nameSecret))
      .filter((item) => item !== undefined);
  }
  if (value && typeof value === 'object') {
    const objects = nodes.filter((node) => schemaDef(node).type === 'object');
    const records = nodes.flatMap((node) => {
      const { type, valueType } = schemaDef(node);
      return type === 'record' && valueType ? unwrapSchema(valueType) : [];
    });
    if (objects.length === 0 && records.length === 0) return skipShape(report, where, 'an object');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const childPath = [...path, key];
      if (isForbiddenKey(key)) {
        report.skip(formatDottedPath(childPath), ODD_KEY);
        continue;
      }
      if (isSecretName(key) && (typeof item === 'string' || isSecretRef(item))) {
        // A free-form map (an env block, headers) takes any key: its `${VAR}` references are kept.
        if (!objects.some((node) => fieldSchema(node, key)) && records.length === 0) {
          report.skip(formatDottedPath(childPath), 'no such setting in krabkrab (a secret: not copied)');
          continue;
        }
        const kept = secretValue(item, childPath, value as Record<string, unknown>, report, nameSecret);
        if (kept !== undefined) out[key] = kept;
        continue;
      }
      const children = objects.flatMap((node) => {
        const child = fieldSchema(node, key);
        return child ? unwrapSchema(child) : [];
      });
      const targets = children.length > 0 ? children : records;
      if (targets.length === 0) {
        report.skip(formatDottedPath(childPath), 'no such setting in krabkrab');
        continue;
      }
      const projected = project(item, targets, childPath, report, nameSecret);
      if (projected !== undefined) out[key] = projected;
    }
    return out;
  }
  return value;
}

function skipShape(report: Reporter, where: string, shape: string): undefined {
  report.skip(where, `krabkrab does not take ${shape} here`);
  return undefined;
}

/** OpenClaw's SecretRef: `{ source: "env" | "file" | "exec", provider, id }`. */
function isSecretRef(value: unknown): value is { source: string; id?: unknown } {
  return Boolean(
    value && typeof value === 'object' && typeof (value as { source?: unknown }).source === 'string',
  );
}

/**
 * A literal secret is never copied; a `${VAR}` reference is (it names where the secret lives), and
 * so is an env SecretRef, as the same reference. Other SecretRefs (file, exec) are reported.
 */
function secretValue(
  item: string | { source: string; id?: unknown },
  path: PathSegment[],
  parent: Record<string, unknown>,
  report: Reporter,
  nameSecret: SecretNamer,
): string | undefined {
  if (typeof item !== 'string') {
    if (item.source === 'env' && typeof item.id === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(item.id))
      return `\${${item.id}}`;
  } else {
    if (hasEnvReference(item)) return item;
    if (item.trim() === '') return undefined;
  }
  const name = nameSecret(path, parent);
  report.secret(name ?? 'YOUR_VAR (any name; put "${YOUR_VAR}" in the config)', formatDottedPath(path));
  return undefined;
}

/** For free-form sections (a plugin's own config): copy everything but literal secrets. */
function stripSecrets(
  value: unknown,
  path: PathSegment[],
  report: Reporter,
  nameSecret: SecretNamer,
): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => stripSecrets(item, [...path, index], report, nameSecret));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (isForbiddenKey(key)) report.skip(formatDottedPath([...path, key]), ODD_KEY);
    else if (isSecretName(key) && (typeof item === 'string' || isSecretRef(item))) {
      const kept = secretValue(item, [...path, key], value as Record<string, unknown>, report, nameSecret);
      if (kept !== undefined) out[key] = kept;
    } else out[key] = stripSecrets(item, [...path, key], report, nameSecret);
  }
  return out;
}
