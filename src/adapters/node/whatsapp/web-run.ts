import type { ChannelAdapter } from '../../../core/channels/types';
import {
  admitWhatsAppGroup,
  WHATSAPP_TEXT_LIMIT,
  whatsappPolicy,
} from '../../../core/channels/whatsapp/adapter';
import { toWhatsAppText } from '../../../core/channels/whatsapp/format';
import { WHATSAPP_CHANNEL } from '../../../core/channels/whatsapp/normalize';
import type { GatewayContext } from '../../../core/context';
import { GatewayError } from '../../../core/errors';
import { mediaCaps } from '../../../core/media/settings';
import { type BackoffSteps, createBackoff } from '../../../core/runtime/backoff';
import type { ChannelRun } from '../channel-run-service';
import { parseWebMessage, type WebMessage } from './web-normalize';
import { linkedNumber } from './web-session';
import {
  disconnectCode,
  type OpenedWebSocket,
  type OpenWebSocket,
  openWebSocket,
  type WebSocketLike,
} from './web-socket';

const BACKOFF_MS = { first: 2_000, max: 120_000 };
/** Baileys' DisconnectReason values the runner acts on. */
const LOGGED_OUT = 401;
const REPLACED = 440;

export const NOT_LINKED =
  "not linked: use Link WhatsApp Web in the Control UI's Channels view, or run `krabkrab channels login whatsapp` in a shell on this machine, and scan the QR code with WhatsApp > Linked devices";
export const LOGGED_OUT_REASON =
  'logged out (the device was removed in WhatsApp > Linked devices): run `krabkrab channels login whatsapp` again';

/**
 * WhatsApp Web (a linked personal number) on Node. Without a stored session it does not connect
 * and says so in `status`; with one it connects, hands messages to the pipeline, sends replies
 * through the socket, and reconnects with backoff after drops. A logout stops it with what to do.
 */
export function startWhatsAppWebRun(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'log' | 'clock' | 'channels' | 'pipeline'>,
  stateDir: string,
  options: { open?: OpenWebSocket; backoffMs?: BackoffSteps } = {},
): ChannelRun {
  const open = options.open ?? openWebSocket;
  const backoffMs = options.backoffMs ?? BACKOFF_MS;
  const log = ctx.log.scope('whatsapp');
  const abort = new AbortController();
  let sock: WebSocketLike | undefined;
  let login: string | undefined;
  const status = (state: 'starting' | 'connected' | 'reconnecting' | 'failed' | 'stopped', error?: string) =>
    ctx.channels.setStatus('whatsapp', {
      state,
      mode: 'web',
      ...(login ? { login } : {}),
      ...(error ? { error } : {}),
    });

  const adapter: ChannelAdapter = {
    id: WHATSAPP_CHANNEL,
    textLimit: WHATSAPP_TEXT_LIMIT,
    policy: whatsappPolicy,
    admitGroup: admitWhatsAppGroup,
    async send(target, text) {
      if (!sock?.user)
        throw new GatewayError('UNAVAILABLE', 'WhatsApp Web is not connected', { retryable: true });
      await sock.sendMessage(target.chatId, { text: toWhatsAppText(text) });
    },
    async typing(target) {
      await sock?.sendPresenceUpdate('composing', target.chatId);
    },
  };
  ctx.channels.register(adapter);

  const work = (async () => {
    const number = await linkedNumber(stateDir);
    if (!number) {
      log.warn(`whatsapp web is ${NOT_LINKED}`);
      return status('failed', NOT_LINKED);
    }
    login = `+${number}`;
    status('starting');
    const backoff = createBackoff(ctx.clock, backoffMs);
    while (!abort.signal.aborted) {
      const outcome = await connectOnce();
      if (outcome === 'stop' || abort.signal.aborted) return;
      if (outcome === 'open') backoff.reset();
      log.warn(`whatsapp web connection dropped; reconnecting in ${backoff.delay / 1000} s`);
      status('reconnecting', 'connection dropped');
      await backoff.wait(abort.signal);
    }
  })().catch((error) => {
    log.error('whatsapp web failed', error);
    status('failed', (error as Error).message);
  });

  /** One connection until it closes: `stop` when it must not be retried, else whether it had opened. */
  async function connectOnce(): Promise<'stop' | 'open' | 'failed'> {
    const connection = await open(stateDir, log, ctx.env);
    const socket = connection.sock;
    sock = socket;
    let opened = false;
    return new Promise((resolve) => {
      const onAbort = () => socket.end(new Error('gateway stopping'));
      abort.signal.addEventListener('abort', onAbort, { once: true });
      socket.ev.on(
        'connection.update',
        (update: { connection?: string; lastDisconnect?: { error?: unknown } }) => {
          if (update.connection === 'open') {
            opened = true;
            log.info(`logged in to whatsapp web as ${login}`);
            status('connected');
          }
          if (update.connection !== 'close') return;
          abort.signal.removeEventListener('abort', onAbort);
          sock = undefined;
          const code = disconnectCode(update);
          if (code === LOGGED_OUT) {
            log.error(`whatsapp web ${LOGGED_OUT_REASON}`);
            status('failed', LOGGED_OUT_REASON);
            return resolve('stop');
          }
          if (code === REPLACED) {
            const reason = 'another client took over this session (connection replaced); not reconnecting';
            log.error(`whatsapp web: ${reason}`);
            status('failed', reason);
            return resolve('stop');
          }
          resolve(opened ? 'open' : 'failed');
        },
      );
      socket.ev.on('messages.upsert', (event: { type?: string; messages?: WebMessage[] }) => {
        if (event.type !== 'notify') return;
        for (const raw of event.messages ?? []) void accept(raw, connection);
      });
    });
  }

  async function accept(raw: WebMessage, { sock: socket, downloadMedia }: OpenedWebSocket) {
    if (!socket.user) return;
    const parsed = parseWebMessage(
      raw,
      { id: socket.user.id, ...(socket.user.lid ? { lid: socket.user.lid } : {}) },
      ctx.clock.now(),
    );
    if (!parsed) return;
    const attachment = parsed.message.attachments?.[0];
    // Images for the model; audio for transcription, when it is on and within its caps.
    const caps = mediaCaps(ctx.config());
    const max = !attachment
      ? undefined
      : parsed.image
        ? caps.imageBytes
        : attachment.kind === 'audio'
          ? caps.audio(attachment)
          : undefined;
    if (attachment && max !== undefined) {
      try {
        if ((attachment.size ?? 0) > max) throw new Error(`the file is ${attachment.size} bytes`);
        const bytes = await downloadMedia(raw);
        attachment.size = bytes.length;
        if (bytes.length > max) throw new Error(`the file is ${bytes.length} bytes`);
        attachment.dataBase64 = bytes.toString('base64');
      } catch (error) {
        attachment.description = `the ${attachment.kind} could not be downloaded: ${(error as Error).message}`;
      }
    }
    try {
      await ctx.pipeline.accept(parsed.message);
      // Blue ticks once it is safe in the spool.
      await socket.readMessages([raw.key]).catch(() => {});
    } catch (error) {
      log.error(`could not accept whatsapp message ${parsed.message.messageId}`, error);
    }
  }

  return {
    async stop() {
      abort.abort();
      sock?.end(new Error('gateway stopping'));
      await work;
      status('stopped');
    },
  };
}
