import { type LoadedConfig, parseConfigText } from '../../core/config/parse';
import { type ConfigProblem, formatProblem } from '../../core/config/problems';
import type { EnvRecord } from '../../core/env';

/** The Worker's bindings that are plain strings (vars and secrets), as the core's env record. */
export function stringBindings(env: Record<string, unknown>): EnvRecord {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Config on Workers: the `KRABKRAB_CONFIG` variable (JSON), parsed by the same schema as the file on Node. */
export async function readWorkerConfig(
  env: EnvRecord,
): Promise<{ ok: true; value: LoadedConfig } | { ok: false; problems: ConfigProblem[]; message: string }> {
  const text = env.KRABKRAB_CONFIG ?? env.krabkrab_CONFIG ?? '{"gateway":{"mode":"local"}}';
  const result = await parseConfigText(text, env);
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems,
    message: `invalid KRABKRAB_CONFIG: ${result.problems.map(formatProblem).join('; ')}`,
  };
}
