import { renderUnicodeCompact } from 'uqr';
import { createLogHub } from '../../../core/log/logger';
import type { ChannelAction } from '../cli/channels-command';
import { setConfigValues } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { CliError, EXIT } from '../exit-codes';
import { ensureStateDir } from '../state-dir';
import { linkWhatsAppWeb } from './web-link';
import { webSessionDir } from './web-session';

/**
 * `krabkrab channels login whatsapp [--relink]`: links this gateway as a WhatsApp Web device (the
 * same linking as the Control UI's *Link WhatsApp Web*), printing each QR code WhatsApp issues in
 * the terminal, and sets `channels.whatsapp` to mode "web".
 */
export const loginWhatsAppWeb: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const hub = createLogHub({
    write: (record) => (record.level === 'error' ? io.stderr(`${record.line}\n`) : undefined),
    now: Date.now,
  });
  let shown = 0;
  const linked = await linkWhatsAppWeb({
    stateDir,
    env: io.env,
    log: hub.logger.scope('whatsapp'),
    relink: Boolean(values.relink),
    onQr: (qr) => {
      if (shown === 0) io.stdout('whatsapp web: connecting to WhatsApp...\n');
      shown++;
      io.stdout(
        `\n${renderUnicodeCompact(qr)}\nScan with your phone: WhatsApp > Settings > Linked devices > Link a device (code ${shown}; a new one follows every ~20 s)\n`,
      );
    },
    again: 'run the command again',
  }).catch((error: Error) => {
    throw new CliError(error.message);
  });
  if (linked.already) {
    io.stdout(`whatsapp web: already linked as +${linked.number} (use --relink to link again)\n`);
    await enableWeb(configPath, io);
    return EXIT.OK;
  }
  io.stdout(
    `whatsapp web: linked as +${linked.number}; session stored in ${webSessionDir(stateDir)} (owner-only files)\n`,
  );
  await enableWeb(configPath, io);
  io.stdout(
    'next: a running gateway reloads krabkrab.json and connects ("[whatsapp] logged in to whatsapp web as ...");\n' +
      '  a stranger who writes gets a pairing code: krabkrab pairing approve whatsapp <code>\n',
  );
  return EXIT.OK;
};

async function enableWeb(configPath: string, io: Parameters<ChannelAction>[2]) {
  await setConfigValues(
    configPath,
    [
      ['channels.whatsapp.mode', 'web'],
      ['channels.whatsapp.enabled', true],
    ],
    io,
  );
}
