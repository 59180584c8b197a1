import { checkFlyDeploy } from './check-fly';
import { DOCTOR_CHECKS } from './checks';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

export interface DoctorReport {
  ok: boolean;
  errors: number;
  warnings: number;
  stateDir: string;
  configPath: string;
  /** This machine: the config, env and flags in force here. */
  checks: CheckResult[];
  /** The deployment fly.toml describes, when on Fly or asked (`--fly`): never mixed into `checks`. */
  fly?: { path: string; checks: CheckResult[] };
}

/** Runs every check, then the fly.toml section; one that throws is reported as an error of its own, never a crash. */
export async function runDoctor(
  input: DoctorInput,
  checks: DoctorCheck[] = DOCTOR_CHECKS,
): Promise<DoctorReport> {
  const results = await Promise.all(
    checks.map((check) =>
      check.run(input).catch((error: unknown): CheckResult[] => [
        {
          check: check.name,
          level: 'error',
          message: `check failed: ${(error as Error)?.message ?? String(error)}`,
        },
      ]),
    ),
  );
  const local = results.flat();
  if (input.flyHere)
    local.push({
      check: 'fly',
      level: 'info',
      message: `${input.flyHere} describes a deployment, not this machine; check it with krabkrab doctor --fly`,
    });
  const fly = input.fly
    ? { path: input.fly.path, checks: await checkFlyDeploy(input, input.fly) }
    : undefined;
  const all = [...local, ...(fly?.checks ?? [])];
  const errors = all.filter((result) => result.level === 'error').length;
  const warnings = all.filter((result) => result.level === 'warn').length;
  return {
    ok: errors === 0,
    errors,
    warnings,
    stateDir: input.stateDir,
    configPath: input.configPath,
    checks: local,
    ...(fly ? { fly } : {}),
  };
}
