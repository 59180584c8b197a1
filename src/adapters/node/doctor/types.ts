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
  /** The gateway flags in force here: doctor's own `--port`/`--bind`, else the running gateway's. */
  flags: GatewayFlags;
  /**
   * The deployment `fly.toml` describes: read only on Fly (`FLY_APP_NAME`) or when asked (`--fly`).
   * Its findings are a section of their own and never stand in for this machine's figures.
   */
  fly?: FlyDeploy;
  /** A `fly.toml` in the working dir that was not checked (doctor only points at `--fly`). */
  flyHere?: string;
  host: HostPaths;
  nodeVersion: string;
  /** `engines.node` of the installed package, when its package.json is found. */
  engines?: string;
  fetch: typeof fetch;
  /** Per network call in `--deep`. */
  timeoutMs: number;
}

/** `--port`, `--bind`, `--token` as the gateway here would get them, and where they were read. */
export interface GatewayFlags {
  port?: string;
  bind?: string;
  token?: string;
  /** `doctor flags` or `the running gateway (PID n)`; undefined when no flags are in force. */
  source?: string;
}

export interface DoctorCheck {
  name: string;
  run(input: DoctorInput): Promise<CheckResult[]>;
}
