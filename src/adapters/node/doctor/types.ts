import type { ConfigFileResult } from '../config-file';
import type { FlyDeploy } from './fly-toml';

/** `error`: the gateway would not start or would be unsafe (exit 1). `warn`: printed, exit 0. */
export type CheckLevel = 'ok' | 'info' | 'warn' | 'error';

/** One line of doctor output: what was found, and how to fix it when it is not ok. */
export interface CheckResult {
  check: string;
  level: CheckLevel;
  message: string;
  fix?: string;
}

/** Where doctor looks on this machine; tests point these at crafted files. */
export interface HostPaths {
  /** `/proc/self/mountinfo`: is the state dir its own mount (a volume)? */
  mountinfo: string;
  /** `/sys/fs/cgroup`: the container's memory limit. */
  cgroupRoot: string;
  /** `/proc`: the running gateway's RSS. */
  proc: string;
}

/** Everything the checks look at, gathered once. */
export interface DoctorInput {
  env: NodeJS.ProcessEnv;
  cwd: string;
  deep: boolean;
  stateDir: string;
  /** Where the state dir setting came from: `--state-dir`, the env var, or the default. */
  stateDirSource: 'flag' | 'env' | 'default';
  configPath: string;
  config: ConfigFileResult;
  container: boolean;
  /** `fly.toml` in the working dir, when there is one. */
  fly?: FlyDeploy;
  host: HostPaths;
  nodeVersion: string;
  /** `engines.node` of the installed package, when its package.json is found. */
  engines?: string;
  fetch: typeof fetch;
  /** Per network call in `--deep`. */
  timeoutMs: number;
}

export interface DoctorCheck {
  name: string;
  run(input: DoctorInput): Promise<CheckResult[]>;
}
