import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { renderUnicodeCompact } from 'uqr';
import type { ChannelAction } from '../cli/channels-command';
import { configSet } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { ensureStateDir } from '../state-dir';

/** The phone has this long to scan before the command gives up. */
const LINK_TIMEOUT_MS = 5 * 60_000;

/**
 * `krabkrab channels login signal`: runs `signal-cli link -n krabkrab`, prints the `sgnl://` link
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

  const result = await new Promise<{ code: number | null; account?: string; tail: string[] }>(
    (resolve, reject) => {
      const child = spawn(cliPath, ['link', '-n', 'krabkrab'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: io.env,
      });
      const tail: string[] = [];
      let account: string | undefined;
      let shown = false;
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(
          new CliError('the link was not confirmed on the phone within 5 minutes; run the command again'),
        );
      }, LINK_TIMEOUT_MS);
      const onLine = (line: string) => {
        const uri = /(sgnl:\/\/linkdevice\S+|tsdevice:\/?\S+)/.exec(line)?.[1];
        if (uri && !shown) {
          shown = true;
          io.stdout(
            `\n${renderUnicodeCompact(uri)}\nScan with your phone: Signal > Settings > Linked devices > + (or open ${uri})\nwaiting for the phone...\n`,
          );
          return;
        }
        account ??= /Associated with:\s*(\+\d+)/.exec(line)?.[1];
        tail.push(line);
        if (tail.length > 5) tail.shift();
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new CliError(
            error.code === 'ENOENT'
              ? `${cliPath} not found: install signal-cli (Docker: build with --build-arg WITH_SIGNAL=1) or set channels.signal.cliPath`
              : `could not run ${cliPath}: ${error.message}`,
          ),
        );
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, ...(account ? { account } : {}), tail });
      });
    },
  );
  if (result.code !== 0)
    throw new CliError(
      `signal-cli link failed (exit code ${result.code})${result.tail.length ? `: ${result.tail.join(' | ').slice(0, 400)}` : ''}`,
    );

  const silent = { ...io, stdout: () => {} };
  if (result.account)
    await configSet(['channels.signal.account', JSON.stringify(result.account)], values, silent);
  await configSet(['channels.signal.enabled', 'true'], values, silent);
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
