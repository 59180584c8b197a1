import { parsePort } from '../../../core/env';
import { BIND_FLAG_VALUES } from '../bind';
import { CliError, EXIT } from '../exit-codes';
import { startGateway } from '../gateway';
import type { Command } from './command';

export const gatewayCommand: Command = {
  summary: 'Run the gateway (HTTP, WebSocket control, channels) in the foreground',
  usage: `gateway [--port N] [--bind ${BIND_FLAG_VALUES}] [--allow-unconfigured] [--token T] [--state-dir DIR]`,
  options: {
    port: { type: 'string' },
    bind: { type: 'string' },
    'allow-unconfigured': { type: 'boolean' },
    token: { type: 'string' },
    'state-dir': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])}`, EXIT.USAGE);
    let port: number | undefined;
    if (typeof values.port === 'string') {
      try {
        port = parsePort(values.port, '--port');
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.USAGE);
      }
    }
    // Signals are handled from the first moment: a SIGTERM that lands while services are still
    // starting must still stop cleanly (exit 0, lock removed), not kill the process mid-start.
    let received: string | undefined;
    let onSignal = (signal: string) => {
      received = signal;
    };
    const forward = (signal: string) => () => onSignal(signal);
    process.once('SIGTERM', forward('SIGTERM'));
    process.once('SIGINT', forward('SIGINT'));
    let reload = () => {};
    process.on('SIGHUP', () => reload());

    const gateway = await startGateway({
      port,
      bind: values.bind as string | undefined,
      token: values.token as string | undefined,
      stateDir: values['state-dir'] as string | undefined,
      allowUnconfigured: Boolean(values['allow-unconfigured']),
      env: io.env,
    });
    reload = () => {
      gateway.ctx.log.info('received SIGHUP, reloading config');
      void gateway.reloadConfig();
    };
    return new Promise<number>((resolve) => {
      onSignal = (signal) => {
        gateway.ctx.log.info(`received ${signal}`);
        gateway.stop().then(
          () => resolve(EXIT.OK),
          () => resolve(EXIT.ERROR),
        );
      };
      if (received) onSignal(received);
    });
  },
};
