import { DOCTOR_CHECKS } from './checks';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

export interface DoctorReport {
  ok: boolean;
  errors: number;
  warnings: number;
  stateDir: string;
  configPath: string;
  checks: CheckResult[];
}

/** Runs every check; one that throws is reported as an error of its own, never a crash. */
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
  const flat = results.flat();
  const errors = flat.filter((result) => result.level === 'error').length;
  const warnings = flat.filter((result) => result.level === 'warn').length;
  return {
    ok: errors === 0,
    errors,
    warnings,
    stateDir: input.stateDir,
    configPath: input.configPath,
    checks: flat,
  };
}
