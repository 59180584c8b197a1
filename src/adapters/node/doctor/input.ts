import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayVar } from '../../../core/env';
import { inContainer } from '../bind';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { inspectLock } from '../lock';
import { commandFlags, type FlyDeploy, readFlyToml } from './fly-toml';
import type { DoctorInput, GatewayFlags } from './types';

/** What tests (and odd hosts) may set instead of what doctor finds on this machine. */
export type DoctorOverrides = Partial<
  Pick<DoctorInput, 'container' | 'host' | 'nodeVersion' | 'engines' | 'fetch' | 'timeoutMs' | 'cwd'>
>;

/**
 * Gathers what the checks look at: state dir, config and flags as the gateway here resolves them;
 * `fly.toml` only on Fly (`FLY_APP_NAME`) or when asked (`--fly`), as a deployment of its own.
 */
export async function gatherDoctorInput(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  deep: boolean,
  overrides: DoctorOverrides = {},
  flyPath?: string,
): Promise<DoctorInput> {
  const { stateDir, configPath } = statePaths(values, env);
  const cwd = overrides.cwd ?? process.cwd();
  const host = overrides.host ?? {
    mountinfo: '/proc/self/mountinfo',
    cgroupRoot: '/sys/fs/cgroup',
    proc: '/proc',
  };
  const wantFly = Boolean(values.fly) || Boolean(env.FLY_APP_NAME);
  const fly = wantFly ? await flyDeploy(flyPath ? resolve(cwd, flyPath) : cwd) : undefined;
  const flyHere = wantFly ? undefined : (await readFlyToml(cwd))?.path;
  const engines = 'engines' in overrides ? overrides.engines : await findEngines();
  return {
    env,
    cwd,
    deep,
    stateDir,
    stateDirSource: values['state-dir'] ? 'flag' : gatewayVar(env, 'STATE_DIR') ? 'env' : 'default',
    configPath,
    config: await readConfigFile(configPath, env),
    container: overrides.container ?? inContainer(env),
    flags: await flagsInForce(values, stateDir, host.proc),
    ...(fly ? { fly } : {}),
    ...(flyHere ? { flyHere } : {}),
    host,
    nodeVersion: overrides.nodeVersion ?? process.version,
    ...(engines ? { engines } : {}),
    fetch: overrides.fetch ?? fetch,
    timeoutMs: overrides.timeoutMs ?? 10_000,
  };
}

/** `engines.node` of the krabkrab package this code runs from (dist/index.js or the source tree). */
async function findEngines(): Promise<string | undefined> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text) {
      try {
        const pkg = JSON.parse(text) as { name?: string; engines?: { node?: string } };
        if (pkg.name === 'krabkrab') return pkg.engines?.node;
      } catch {
        // Not ours; keep walking up.
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** `fly.toml` at a path (a file, or a dir holding one); a missing one is a problem of the section, not a crash. */
async function flyDeploy(path: string): Promise<FlyDeploy> {
  const dir = path.endsWith('.toml') ? dirname(path) : path;
  const file = path.endsWith('.toml') ? path : join(path, 'fly.toml');
  const found = await readFlyToml(dir, file);
  return found ?? { path: file, flags: { allowUnconfigured: false }, env: {}, problem: 'no such file' };
}

/** Doctor's own `--port`/`--bind`, else the command line of the gateway running on this state dir. */
async function flagsInForce(
  values: Record<string, unknown>,
  stateDir: string,
  proc: string,
): Promise<GatewayFlags> {
  if (typeof values.port === 'string' || typeof values.bind === 'string') {
    return {
      ...(typeof values.port === 'string' ? { port: values.port } : {}),
      ...(typeof values.bind === 'string' ? { bind: values.bind } : {}),
      source: 'doctor flags',
    };
  }
  const lock = await inspectLock(stateDir).catch(() => undefined);
  if (!lock || lock.stale) return {};
  const cmdline = await readFile(join(proc, String(lock.info.pid), 'cmdline'), 'utf8').catch(() => '');
  const { port, bind, token } = commandFlags(cmdline.split('\0').join(' '));
  if (port === undefined && bind === undefined && token === undefined) return {};
  return {
    ...(port !== undefined ? { port } : {}),
    ...(bind !== undefined ? { bind } : {}),
    ...(token !== undefined ? { token } : {}),
    source: `the running gateway (PID ${lock.info.pid})`,
  };
}
