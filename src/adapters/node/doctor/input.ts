import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayVar } from '../../../core/env';
import { inContainer } from '../bind';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { readFlyToml } from './fly-toml';
import type { DoctorInput } from './types';

/** What tests (and odd hosts) may set instead of what doctor finds on this machine. */
export type DoctorOverrides = Partial<
  Pick<DoctorInput, 'container' | 'host' | 'nodeVersion' | 'engines' | 'fetch' | 'timeoutMs' | 'cwd'>
>;

/** Gathers what the checks look at: state dir and config as the gateway resolves them, fly.toml in the working dir. */
export async function gatherDoctorInput(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  deep: boolean,
  overrides: DoctorOverrides = {},
): Promise<DoctorInput> {
  const { stateDir, configPath } = statePaths(values, env);
  const cwd = overrides.cwd ?? process.cwd();
  const fly = await readFlyToml(cwd);
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
    ...(fly ? { fly } : {}),
    host: overrides.host ?? {
      mountinfo: '/proc/self/mountinfo',
      cgroupRoot: '/sys/fs/cgroup',
      proc: '/proc',
    },
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
