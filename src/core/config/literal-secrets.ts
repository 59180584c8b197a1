import type { ConfigProblem } from './problems';
import { hasEnvReference } from './substitute-env';

/** A name that holds a secret in an env block or a header list (`GITHUB_TOKEN`, `Authorization`, `x-api-key`). */
export const SECRET_ENTRY_NAME =
  /token|secret|passw|api[-_]?key|authorization|cookie|credential|private[-_]?key|(^|[-_])key$/i;

type Raw = Record<string, unknown> | undefined;

const objectAt = (value: unknown): Raw =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * Env blocks and headers (`mcp.servers.*.env`/`headers`, `models.providers.*.headers`) are free-form,
 * so key-name redaction cannot see their secrets: there a secret must be a `${VAR}` reference,
 * never a literal in `krabkrab.json`. Checked on the file as written, before substitution.
 */
export function literalSecretProblems(raw: Record<string, unknown>): ConfigProblem[] {
  const blocks: Array<[string, Raw]> = [];
  for (const [name, server] of Object.entries(objectAt(objectAt(raw.mcp)?.servers) ?? {})) {
    blocks.push([`mcp.servers.${name}.env`, objectAt(objectAt(server)?.env)]);
    blocks.push([`mcp.servers.${name}.headers`, objectAt(objectAt(server)?.headers)]);
  }
  for (const [id, provider] of Object.entries(objectAt(objectAt(raw.models)?.providers) ?? {}))
    blocks.push([`models.providers.${id}.headers`, objectAt(objectAt(provider)?.headers)]);
  const problems: ConfigProblem[] = [];
  for (const [path, block] of blocks)
    for (const [key, value] of Object.entries(block ?? {}))
      if (SECRET_ENTRY_NAME.test(key) && typeof value === 'string' && value !== '' && !hasEnvReference(value))
        problems.push({
          path: `${path}.${key}`,
          message:
            'a secret here must be a ${VAR} reference (set the variable in the environment), not a literal',
        });
  return problems;
}
