import type { Logger } from '../../../core/log/logger';
import { clearWebSession, linkedNumber } from './web-session';
import { disconnectCode, type OpenWebSocket, openWebSocket } from './web-socket';

/** How long a linking waits for the phone to scan (WhatsApp shows a new code every ~20 s). */
export const LINK_TIMEOUT_MS = 3 * 60_000;
const RESTART_REQUIRED = 515;
const LOGGED_OUT = 401;

export interface WhatsAppLinkOptions {
  stateDir: string;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  /** Each code WhatsApp issues, as the text a QR code encodes (the shell prints it, the page draws it). */
  onQr(qr: string): void;
  relink?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  open?: OpenWebSocket;
  /** How this caller's user starts over, ending a failure that needs it (default: the page's "start again"). */
  again?: string;
}

/**
 * Links this gateway as a WhatsApp Web device: `krabkrab channels login whatsapp` and the Control
 * UI's *Link WhatsApp Web* both run this. Hands over each rotating QR code, keeps the session in
 * `$STATE_DIR/credentials/whatsapp-web` (0600), and resolves with the linked number (`15551234567`).
 */
export async function linkWhatsAppWeb(
  options: WhatsAppLinkOptions,
): Promise<{ number: string; already: boolean }> {
  const { stateDir, log } = options;
  if (options.relink) await clearWebSession(stateDir);
  const already = await linkedNumber(stateDir);
  if (already) return { number: already, already: true };
  const open = options.open ?? openWebSocket;
  const timeoutMs = options.timeoutMs ?? LINK_TIMEOUT_MS;
  const again = options.again ?? 'start again';

  const number = await new Promise<string>((resolve, reject) => {
    let current: Awaited<ReturnType<OpenWebSocket>>['sock'] | undefined;
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`no scan within ${Math.round(timeoutMs / 60_000)} minutes; ${again}`)),
      timeoutMs,
    );
    const onAbort = () => finish(new Error('linking stopped'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    function finish(result: string | Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      current?.end(undefined);
      if (typeof result === 'string') resolve(result);
      else reject(result);
    }
    const connect = async () => {
      const { sock } = await open(stateDir, log, options.env);
      if (done) return sock.end(undefined);
      current = sock;
      sock.ev.on(
        'connection.update',
        (update: { qr?: string; connection?: string; lastDisconnect?: { error?: unknown } }) => {
          if (done) return;
          if (update.qr) options.onQr(update.qr);
          if (update.connection === 'open') return finish(sock.user?.id.split(/[:@]/)[0] ?? 'unknown');
          if (update.connection !== 'close') return;
          const code = disconnectCode(update);
          // After the scan WhatsApp asks the new device to reconnect once; that is how pairing completes.
          if (code === RESTART_REQUIRED) return void connect().catch(finish);
          const error = update.lastDisconnect?.error as Error | undefined;
          finish(
            new Error(
              code === LOGGED_OUT
                ? `WhatsApp refused the link (logged out); ${again}`
                : `could not reach WhatsApp Web: ${error?.message ?? 'connection closed'}${code ? ` (${code})` : ''}`,
            ),
          );
        },
      );
    };
    if (options.signal?.aborted) return onAbort();
    connect().catch(finish);
  });
  return { number, already: false };
}
