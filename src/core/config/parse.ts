import type { EnvRecord } from '../env';
import { SecretRedactor } from '../log/redact';
import { literalSecretProblems } from './literal-secrets';
import { type ConfigProblem, toConfigProblems } from './problems';
import { configSchema, type KrabConfig } from './schema';
import { substituteEnv } from './substitute-env';

/** A config as the owner wrote it (`raw`, with `${VAR}` references) and as the gateway uses it. */
export interface LoadedConfig {
  raw: Record<string, unknown>;
  config: KrabConfig;
}

export type ConfigResult = { ok: true; value: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

/** Parses `krabkrab.json` text: JSON5, then `${VAR}` from env, then the schema. Never rejects. */
export async function parseConfigText(text: string, env: EnvRecord): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await parseJson5(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^JSON5: /, '') : String(error);
    return { ok: false, problems: [{ path: '', message: `not valid JSON or JSON5: ${message}` }] };
  }
  return parseConfigValue(raw, env);
}

/**
 * Plain JSON (what the gateway itself writes) is read natively; the JSON5 parser is loaded only
 * for a file with comments or trailing commas, so a start does not compile it for nothing.
 */
async function parseJson5(text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return (await import('json5')).default.parse(text);
  }
}

export function parseConfigValue(raw: unknown, env: EnvRecord): ConfigResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '', message: 'expected a JSON object at the top level' }] };
  }
  const problems: ConfigProblem[] = literalSecretProblems(raw as Record<string, unknown>);
  const substituted = substituteEnv(raw, env, problems);
  const result = configSchema.safeParse(substituted, { reportInput: true });
  if (!result.success) problems.push(...toConfigProblems(result.error.issues, configSchema));
  if (problems.length > 0 || !result.success)
    return { ok: false, problems: maskEnvValues(problems, raw, env) };
  return { ok: true, value: { raw: raw as Record<string, unknown>, config: result.data } };
}

/**
 * A value brought in by `${VAR}` never reaches a problem message (`got "..."`): the variable may
 * hold a secret whatever field it was put in. Masked like the log redactor masks (6+ chars).
 */
function maskEnvValues(problems: ConfigProblem[], raw: object, env: EnvRecord): ConfigProblem[] {
  const redactor = new SecretRedactor();
  for (const [, name] of JSON.stringify(raw).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const value = env[name!];
    if (value) redactor.add(value, JSON.stringify(value).slice(1, -1));
  }
  return problems.map((problem) => ({ path: problem.path, message: redactor.redact(problem.message) }));
}
