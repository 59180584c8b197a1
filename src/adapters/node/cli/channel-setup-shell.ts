import { type ChannelSetupResult, setupChannel } from '../../../core/channels/setup';
import { createConfigStore } from '../../../core/config/config-store';
import { type LoadedConfig, parseConfigValue } from '../../../core/config/parse';
import { formatProblem } from '../../../core/config/problems';
import { isGatewayError } from '../../../core/errors';
import { createLogHub } from '../../../core/log/logger';
import { systemClock } from '../../../core/runtime/clock';
import { type ConfigFileResult, readConfigFile, writeConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { CliIo } from './command';
import { statePaths } from './state-options';

/** Refusals of the values themselves: the command was called wrong (exit 2), not refused by the platform. */
const USAGE_CODES = new Set(['INVALID_PARAMS', 'PAYLOAD_TOO_LARGE', 'NOT_FOUND']);

export interface ShellSetup {
  result: ChannelSetupResult;
  stateDir: string;
  configPath: string;
  loaded: LoadedConfig;
}

/**
 * `krabkrab channels add <channel>`: the control method `channels.setup`'s code (`setupChannel`:
 * the values checked, one validating call at the configured API base, secrets stored 0600 in the
 * credentials area, the channel enabled) run over the state dir, so the shell and the browser do
 * exactly the same thing. A running gateway reloads krabkrab.json and logs in. A command that has
 * already read krabkrab.json (for values it offers) hands it in as `read`, so it is read once.
 */
export async function setupChannelFromShell(
  channel: string,
  fields: Record<string, string>,
  values: Record<string, unknown>,
  io: CliIo,
  read?: ConfigFileResult,
): Promise<ShellSetup> {
  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const file = read ?? (await readConfigFile(configPath, io.env));
  if (file.ok === false)
    throw new CliError(
      `${configPath} has problems; fix them first (krabkrab doctor): ${file.problems.map(formatProblem).join('; ')}`,
      EXIT.CONFIG,
    );
  const initial = file.ok === true ? file.value : emptyConfig(io.env);

  const configStore = createConfigStore({
    initial,
    env: io.env,
    persist: (raw) => writeConfigFile(configPath, raw),
  });
  const store = createNodeStore(stateDir);
  const logs = createLogHub({ write: () => {}, now: systemClock.now });
  try {
    const result = await setupChannel(
      {
        env: io.env,
        store,
        config: () => configStore.current().config,
        configStore,
        clock: systemClock,
        log: logs.logger.scope('channels'),
        logs,
      },
      channel,
      fields,
    );
    return { result, stateDir, configPath, loaded: configStore.current() };
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new CliError(error.message, USAGE_CODES.has(error.code) ? EXIT.USAGE : EXIT.ERROR);
  } finally {
    await store.dispose();
  }
}

/** The config a missing krabkrab.json starts from (parsed only then). */
function emptyConfig(env: CliIo['env']): LoadedConfig {
  const empty = parseConfigValue({}, env);
  if (!empty.ok)
    throw new CliError(`cannot start a config: ${empty.problems.map(formatProblem).join('; ')}`, EXIT.CONFIG);
  return empty.value;
}
