import { readGatewayEnv } from '../../../core/env';
import { resolveConfigPath, resolveStateDir } from '../state-dir';
import type { OptionSpec } from './command';

export const STATE_DIR_OPTION: OptionSpec = { 'state-dir': { type: 'string' } };

/** The state dir and config path a command works on: `--state-dir` > env > `~/.krabkrab`. */
export function statePaths(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): { stateDir: string; configPath: string } {
  const gatewayEnv = readGatewayEnv({
    ...env,
    krabkrab_GATEWAY_PORT: undefined,
    KRABKRAB_GATEWAY_PORT: undefined,
  });
  const stateDir = resolveStateDir(values['state-dir'] as string | undefined, gatewayEnv.stateDir);
  return { stateDir, configPath: resolveConfigPath(stateDir, gatewayEnv.configPath) };
}
