import type { Logger } from '../../../core/log/logger';
import { loadBaileys } from './baileys-loader';
import { type BaileysAuthKit, openWebSession } from './web-session';

/** What the runner and the login command use of a Baileys socket. */
export interface WebSocketLike {
  user?: { id: string; lid?: string } | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: Baileys' event payloads differ per event; each listener declares the shape it reads.
  ev: { on(event: string, listener: (payload: any) => void): void };
  sendMessage(jid: string, content: { text: string }, options?: { quoted?: unknown }): Promise<unknown>;
  sendPresenceUpdate(type: 'composing' | 'paused' | 'available', jid?: string): Promise<void>;
  readMessages(keys: unknown[]): Promise<void>;
  end(error?: Error): void;
}

/** A connected-or-connecting socket and how to fetch a message's media (image, audio) through it. */
export interface OpenedWebSocket {
  sock: WebSocketLike;
  downloadMedia(raw: unknown): Promise<Buffer>;
}

/** How a runner opens its socket (the real one uses Baileys; tests hand in a fake). */
export type OpenWebSocket = (
  stateDir: string,
  log: Logger,
  env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>,
) => Promise<OpenedWebSocket>;

/** Baileys logs through pino; its chatter goes to the gateway's debug log, warnings and errors stay visible. */
function pinoShim(log: Logger): Record<string, unknown> {
  const text = (args: unknown[]) =>
    args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a)))
      .join(' ')
      .slice(0, 300);
  const shim: Record<string, unknown> = {
    level: 'warn',
    child: () => shim,
    trace: () => {},
    debug: () => {},
    info: (...args: unknown[]) => log.debug(text(args)),
    warn: (...args: unknown[]) => log.debug(text(args)),
    error: (...args: unknown[]) => log.warn(text(args)),
    fatal: (...args: unknown[]) => log.error(text(args)),
  };
  return shim;
}

/**
 * A WhatsApp Web socket on the stored session (`$STATE_DIR/credentials/whatsapp-web`, 0600).
 * `KRABKRAB_WHATSAPP_WEB_URL` points it elsewhere (tests: a local server).
 */
export async function openWebSocket(
  stateDir: string,
  log: Logger,
  env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>,
): Promise<OpenedWebSocket> {
  const baileys = await loadBaileys(stateDir);
  const session = await openWebSession(baileys as unknown as BaileysAuthKit, stateDir);
  const url = env.KRABKRAB_WHATSAPP_WEB_URL;
  const sock = baileys.makeWASocket({
    auth: session.state as never,
    logger: pinoShim(log) as never,
    browser: baileys.Browsers.ubuntu('KrabKrab'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
    ...(url ? { waWebSocketUrl: url } : {}),
  }) as unknown as WebSocketLike;
  sock.ev.on('creds.update', () => {
    void session.saveCreds().catch((error) => log.error('saving the WhatsApp Web session failed', error));
  });
  return {
    sock,
    downloadMedia: async (raw) => (await baileys.downloadMediaMessage(raw as never, 'buffer', {})) as Buffer,
  };
}

/** The status code of a Baileys disconnect (`lastDisconnect.error.output.statusCode`). */
export function disconnectCode(update: { lastDisconnect?: { error?: unknown } }): number | undefined {
  const error = update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined;
  return error?.output?.statusCode;
}
