import { gatewayVar } from '../../../core/env';
import { readConfigFile } from '../config-file';
import { storedToken } from '../gateway-token';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { Command } from './command';
import { STATE_DIR_OPTION, statePaths } from './state-options';

/** Prints the gateway token alone on stdout, so `$(krabkrab token)` works. */
export const tokenCommand: Command = {
  summary: 'Print the gateway token (the one in env or config, else the generated one in the state dir)',
  usage: 'token [--state-dir DIR]',
  options: STATE_DIR_OPTION,
  async run({ values }, io) {
    const fromEnv = gatewayVar(io.env, 'GATEWAY_TOKEN');
    if (fromEnv) {
      io.stdout(`${fromEnv.trim()}\n`);
      return 0;
    }
    const { stateDir, configPath } = statePaths(values, io.env);
    const config = await readConfigFile(configPath, io.env);
    const fromConfig = config.ok === true ? config.value.config.gateway?.auth?.token : undefined;
    if (fromConfig) {
      io.stdout(`${fromConfig}\n`);
      return 0;
    }
    await ensureStateDir(stateDir);
    const store = createNodeStore(stateDir);
    const { token } = await storedToken(store);
    await store.dispose();
    io.stdout(`${token}\n`);
    return 0;
  },
};
