import { CliError, EXIT } from '../exit-codes';
import { inspectLock } from '../lock';
import type { Command } from './command';
import { callGateway, findRunningGateway } from './cron-remote';
import { statePaths } from './state-options';
import { formatStatus } from './status-format';

/** Asks the gateway running on this state dir for its status over the control WebSocket. */
export const statusCommand: Command = {
  summary: 'Ask the running gateway (found by its lock) for its status; exit 1 when none runs',
  usage: 'status [--json] [--token T] [--state-dir DIR]',
  options: { json: { type: 'boolean' }, token: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])}`, EXIT.USAGE);
    const { stateDir, configPath } = statePaths(values, io.env);
    const lock = await inspectLock(stateDir).catch(() => undefined);
    if (!lock || lock.stale) {
      const why = lock
        ? ` (a stale lock of PID ${lock.info.pid} is left: ${lock.stale}; the next start takes it over)`
        : '';
      if (values.json)
        io.stdout(
          `${JSON.stringify({ running: false, stateDir, ...(lock ? { staleLock: lock.path } : {}) })}\n`,
        );
      io.stderr(`no gateway is running on state dir ${stateDir}${why}; start one with: krabkrab gateway\n`);
      return EXIT.ERROR;
    }
    const endpoint = await findRunningGateway({
      stateDir,
      configPath,
      env: io.env,
      token: values.token as string | undefined,
    });
    if (!endpoint) throw new CliError(`no gateway is running on state dir ${stateDir}`);
    let status: Record<string, unknown>;
    try {
      status = (await callGateway(endpoint, 'status', {})) as Record<string, unknown>;
    } catch (error) {
      throw new CliError(
        `gateway PID ${lock.info.pid} holds the lock (port ${lock.info.port}) but did not answer: ${(error as Error).message}`,
      );
    }
    io.stdout(
      values.json ? `${JSON.stringify({ running: true, ...status }, null, 2)}\n` : formatStatus(status),
    );
    return EXIT.OK;
  },
};
