import { renderUnicodeCompact } from 'uqr';
import { createLogHub } from '../../../core/log/logger';
import type { ChannelAction } from '../cli/channels-command';
import { configSet } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { CliError, EXIT } from '../exit-codes';
import { ensureStateDir } from '../state-dir';
import { clearWebSession, linkedNumber, webSessionDir } from './web-session';
import { disconnectCode, openWebSocket } from './web-socket';

/** How long the command waits for the phone to scan (WhatsApp shows a new code every ~20 s). */
const LOGIN_TIMEOUT_MS = 3 * 60_000;
const RESTART_REQUIRED = 515;
const LOGGED_OUT = 401;

/**
 * `krabkrab channels login whatsapp [--relink]`: links this gateway as a WhatsApp Web device.
 * Prints each QR code WhatsApp issues in the terminal, stores the session under
 * `$STATE_DIR/credentials/whatsapp-web` (0600), and sets `channels.whatsapp` to mode "web".
 */
export const loginWhatsAppWeb: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  if (values.relink) await clearWebSession(stateDir);
  const already = await linkedNumber(stateDir);
  if (already) {
    io.stdout(`whatsapp web: already linked as +${already} (use --relink to link again)\n`);
    await enableWeb(values, io);
    return EXIT.OK;
  }
  const hub = createLogHub({
    write: (record) => (record.level === 'error' ? io.stderr(`${record.line}\n`) : undefined),
    now: Date.now,
  });
  const log = hub.logger.scope('whatsapp');
  io.stdout('whatsapp web: connecting to WhatsApp...\n');

  const linked = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new CliError('no scan within 3 minutes; run the command again')),
      LOGIN_TIMEOUT_MS,
    );
    let current: Awaited<ReturnType<typeof openWebSocket>>['sock'] | undefined;
    let done = false;
    function finish(result: string | Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      current?.end(undefined);
      if (typeof result === 'string') resolve(result);
      else reject(result);
    }
    const connect = async () => {
      const { sock } = await openWebSocket(stateDir, log, io.env);
      current = sock;
      let shown = 0;
      sock.ev.on(
        'connection.update',
        (update: { qr?: string; connection?: string; lastDisconnect?: { error?: unknown } }) => {
          if (update.qr) {
            shown++;
            io.stdout(
              `\n${renderUnicodeCompact(update.qr)}\nScan with your phone: WhatsApp > Settings > Linked devices > Link a device (code ${shown}; a new one follows every ~20 s)\n`,
            );
          }
          if (update.connection === 'open') return finish(sock.user?.id.split(/[:@]/)[0] ?? 'unknown');
          if (update.connection !== 'close' || done) return;
          const code = disconnectCode(update);
          // After the scan WhatsApp asks the new device to reconnect once; that is how pairing completes.
          if (code === RESTART_REQUIRED) return void connect().catch(finish);
          const error = update.lastDisconnect?.error as Error | undefined;
          finish(
            new CliError(
              code === LOGGED_OUT
                ? 'WhatsApp refused the link (logged out); run the command again'
                : `could not reach WhatsApp Web: ${error?.message ?? 'connection closed'}${code ? ` (${code})` : ''}`,
            ),
          );
        },
      );
    };
    connect().catch(finish);
  });
  io.stdout(
    `whatsapp web: linked as +${linked}; session stored in ${webSessionDir(stateDir)} (owner-only files)\n`,
  );
  await enableWeb(values, io);
  io.stdout(
    'next: a running gateway reloads krabkrab.json and connects ("[whatsapp] logged in to whatsapp web as ...");\n' +
      '  a stranger who writes gets a pairing code: krabkrab pairing approve whatsapp <code>\n',
  );
  return EXIT.OK;
};

async function enableWeb(values: Record<string, unknown>, io: Parameters<ChannelAction>[2]) {
  const silent = { ...io, stdout: () => {} };
  await configSet(['channels.whatsapp.mode', '"web"'], values as never, silent);
  await configSet(['channels.whatsapp.enabled', 'true'], values as never, silent);
}
