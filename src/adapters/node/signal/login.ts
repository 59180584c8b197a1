import { renderUnicodeCompact } from 'uqr';
import type { ChannelAction } from '../cli/channels-command';
import { setConfigValues } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { ensureStateDir } from '../state-dir';
import { linkSignal } from './link';

/**
 * `krabkrab channels login signal`: runs `signal-cli link -n krabkrab` (the same linking as the
 * Control UI's *Link Signal*), prints the `sgnl://` link
 * URI it gives as a QR code in the terminal (Signal > Settings > Linked devices > +), waits for the
 * phone, then sets `channels.signal.account` and `enabled`. A running gateway reloads and connects.
 */
export const loginSignal: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const current = await readConfigFile(configPath, io.env);
  const cliPath =
    (current.ok === true ? current.value.config.channels?.signal?.cliPath : undefined) ?? 'signal-cli';

  const result = await linkSignal({
    cliPath,
    env: io.env,
    onUri: (uri) =>
      io.stdout(
        `\n${renderUnicodeCompact(uri)}\nScan with your phone: Signal > Settings > Linked devices > + (or open ${uri})\nwaiting for the phone...\n`,
      ),
    again: 'run the command again',
  }).catch((error: Error) => {
    throw new CliError(error.message);
  });

  // Read again now: the linking took minutes, and the gateway may have written the file meanwhile.
  await setConfigValues(
    configPath,
    [
      ...(result.account ? [['channels.signal.account', result.account] as [string, unknown]] : []),
      ['channels.signal.enabled', true],
    ],
    io,
  );
  io.stdout(
    [
      `signal: linked${result.account ? ` as ${result.account}` : ''}; set channels.signal.enabled${result.account ? ' and account' : ''} in ${configPath}`,
      result.account
        ? ''
        : '  set the account: krabkrab config set channels.signal.account \'"+15551234567"\'',
      'next: start signal-cli with the gateway (krabkrab config set channels.signal.autoStart true) or point',
      '  channels.signal.httpUrl at a running `signal-cli daemon --http`; strangers get a pairing code:',
      '  krabkrab pairing approve signal <code>',
      '',
    ]
      .filter((line) => line !== '')
      .join('\n')
      .concat('\n'),
  );
  return EXIT.OK;
};
