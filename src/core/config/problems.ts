import type { z } from '../zod';
import { formatDottedPath } from './dotted-path';
import { fieldSchema, type SchemaNode, schemaDef, unwrapSchema } from './schema-walk';
import { nearest } from './suggest';

/** One problem with a config: the dotted path and what was expected, ready to print on one line. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** Turns zod issues into one readable line each, suggesting the nearest key for a typo. */
export function toConfigProblems(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const hint = nearest(key, known);
        problems.push({
          path: formatDottedPath([...issue.path, key]),
          message: `unknown key${hint ? ` (did you mean ${hint}?)` : ''}`,
        });
      }
      continue;
    }
    problems.push({ path: formatDottedPath(issue.path), message: describeIssue(issue) });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input)}`;
    case 'invalid_union': {
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        for (const sub of branch) {
          if (sub.code === 'invalid_type' && sub.path.length === 0) expected.add(sub.expected);
          else return describeIssue(sub);
        }
      }
      return expected.size > 0
        ? `expected ${[...expected].join(' or ')}, got ${typeName(issue.input)}`
        : issue.message;
    }
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The keys an object schema at `path` accepts, looking through optional, lazy, records, arrays and unions. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: SchemaNode[] = [schema];
  for (const part of path) nodes = nodes.flatMap((node) => childSchemas(node, part));
  return [...new Set(nodes.flatMap((node) => objectKeys(node)))];
}

function childSchemas(node: SchemaNode, key: PropertyKey): SchemaNode[] {
  return unwrapSchema(node).flatMap((inner) => {
    const def = schemaDef(inner);
    const field = def.type === 'object' && typeof key === 'string' ? fieldSchema(inner, key) : undefined;
    if (field) return [field];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    if (def.type === 'array' && def.element && typeof key === 'number') return [def.element];
    return [];
  });
}

function objectKeys(node: SchemaNode): string[] {
  return unwrapSchema(node).flatMap((inner) => {
    const def = schemaDef(inner);
    return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  });
}
