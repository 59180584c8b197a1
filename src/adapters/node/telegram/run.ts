import { createTelegramAdapter } from '../../../core/channels/telegram/adapter';
import { apiFailure, describeTelegramError, grammySignal } from '../../../core/channels/telegram/api';
import { rememberTelegramIdentity } from '../../../core/channels/telegram/identity';
import { acceptTelegramUpdate } from '../../../core/channels/telegram/inbound';
import {
  openTelegramBot,
  type TelegramBot,
  type TelegramSessionContext,
} from '../../../core/channels/telegram/session';
import { telegramConfigOf, telegramEnabled } from '../../../core/channels/telegram/settings';
import type { GatewayContext } from '../../../core/context';
import { createBackoff } from '../../../core/runtime/backoff';
import { BACKOFF_MS, startPolling } from './polling';
import { startWebhookMode } from './webhook-mode';

/** What a run reads: the bot's session, the channel registry and pipeline, and the tunnel's URL events (webhook mode). */
export type TelegramRunContext = TelegramSessionContext &
  Pick<GatewayContext, 'log' | 'clock' | 'channels' | 'pipeline' | 'events'>;

export interface TelegramRun {
  stop(): Promise<void>;
}

/**
 * One run of the Telegram channel for the current config: log in with `getMe` (a rejected token is
 * one clear line and status `failed`; network errors, a 429 and a 5xx are retried), then webhook mode when
 * `webhookUrl` is set, else long polling. Returns at once; the work goes on in the background so
 * a slow or absent Telegram never holds up the gateway.
 */
export function startTelegramRun(ctx: TelegramRunContext): TelegramRun | undefined {
  const log = ctx.log.scope('telegram');
  const config = telegramConfigOf(ctx);
  if (!telegramEnabled(ctx.env, config)) {
    if (ctx.config().channels?.telegram) ctx.channels.setStatus('telegram', { state: 'disabled' });
    return undefined;
  }
  // Registered before login so spooled messages replayed at start find their channel.
  ctx.channels.register(createTelegramAdapter(ctx));
  const mode = config.webhookUrl ? 'webhook' : 'polling';
  const status = (
    state: 'starting' | 'connected' | 'reconnecting' | 'failed' | 'stopped',
    extra: { login?: string; error?: string } = {},
  ) => ctx.channels.setStatus('telegram', { state, mode, ...extra });
  status('starting');

  const abort = new AbortController();
  const stops: Array<() => unknown> = [];
  let login: string | undefined;

  const work = (async () => {
    let bot: TelegramBot;
    try {
      bot = await openTelegramBot(ctx);
    } catch (error) {
      const reason = (error as Error).message;
      log.error(reason);
      return status('failed', { error: reason });
    }
    const me = await logIn(bot);
    if (!me || abort.signal.aborted) return;
    login = `@${me.username}`;
    await rememberTelegramIdentity(ctx.store, { id: me.id, username: me.username, firstName: me.first_name });
    log.info(`logged in to telegram as ${login}`);
    if (abort.signal.aborted) return;
    if (mode === 'webhook') {
      const webhook = await startWebhookMode({
        ctx,
        api: bot.api,
        config,
        onState: (state, error) => status(state, { login, ...(error ? { error } : {}) }),
      });
      stops.push(webhook.stop);
      return;
    }
    const polling = startPolling({
      api: bot.api,
      log,
      clock: ctx.clock,
      accept: (update) => acceptTelegramUpdate(ctx, update),
      onState: (state, error) => status(state, { login, ...(error ? { error } : {}) }),
    });
    stops.push(polling.stop);
    status('connected', { login });
  })().catch((error) => {
    log.error('telegram channel failed', error);
    status('failed', { error: describeTelegramError(error) });
  });

  async function logIn(bot: TelegramBot) {
    const backoff = createBackoff(ctx.clock, BACKOFF_MS);
    while (!abort.signal.aborted) {
      try {
        return await bot.api.getMe(grammySignal(abort.signal));
      } catch (error) {
        if (abort.signal.aborted) return undefined;
        const reason = describeTelegramError(error);
        // 401: a wrong token; 404: one Telegram cannot even parse. A 429 or a 5xx is waited out.
        const code = apiFailure(error)?.code;
        if (code === 401 || code === 404) {
          log.error(
            `login failed: ${reason}; check TELEGRAM_BOT_TOKEN or run \`krabkrab channels add telegram --token <token>\``,
          );
          status('failed', { error: reason });
          return undefined;
        }
        log.warn(`login failed: ${reason}; retrying in ${backoff.delay / 1000} s`);
        status('reconnecting', { error: reason });
        await backoff.wait(abort.signal);
      }
    }
    return undefined;
  }

  return {
    async stop() {
      abort.abort();
      await work;
      for (const stop of stops) await stop();
      status('stopped', login ? { login } : {});
    },
  };
}
