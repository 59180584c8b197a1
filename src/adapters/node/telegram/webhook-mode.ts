import { randomToken } from '../../../core/auth/token';
import { describeTelegramError, type TelegramApi } from '../../../core/channels/telegram/api';
import type { TelegramConfig } from '../../../core/channels/telegram/config';
import {
  ALLOWED_UPDATES,
  resolveWebhookSecret,
  telegramWebhookPath,
  telegramWebhookTarget,
  WEBHOOK_SECRET,
} from '../../../core/channels/telegram/settings';
import type { GatewayContext } from '../../../core/context';
import { credentialKey } from '../../../core/secrets';
import { TUNNEL_URL_KEY } from '../../../core/tunnel/state';

/** What webhook mode reads: the secret (env or stored, redacted), the store and the tunnel's URL events. */
type WebhookModeContext = Pick<GatewayContext, 'env' | 'store' | 'logs' | 'log' | 'events'>;

export interface WebhookModeOptions {
  ctx: WebhookModeContext;
  api: TelegramApi;
  config: TelegramConfig;
  onState(state: 'connected' | 'starting' | 'failed', error?: string): void;
}

/**
 * Registers the gateway's webhook with Telegram: `setWebhook` with the secret Telegram will echo
 * (configured, else generated once and kept in the credentials area) and `allowed_updates`. With
 * `webhookUrl: "auto"` the URL is the tunnel's, registered again whenever the tunnel announces one.
 */
export async function startWebhookMode(options: WebhookModeOptions): Promise<{ stop(): void }> {
  const { ctx, api, config } = options;
  const log = ctx.log.scope('telegram');
  const secret = await ensureWebhookSecret(ctx, config);
  let stopped = false;
  let latest: Promise<void> = Promise.resolve();

  const register = (base?: string) => {
    const url = telegramWebhookTarget(config, base);
    latest = latest.then(async () => {
      if (stopped) return;
      if (!url) {
        log.info('webhookUrl is "auto": waiting for the tunnel to announce its public URL');
        options.onState('starting');
        return;
      }
      try {
        await api.setWebhook(url, {
          secret_token: secret,
          allowed_updates: [...ALLOWED_UPDATES],
          drop_pending_updates: false,
        });
        log.info(`webhook set to ${url} (Telegram posts to ${telegramWebhookPath(config)} on this gateway)`);
        options.onState('connected');
      } catch (error) {
        const reason = `setWebhook failed: ${describeTelegramError(error)}`;
        log.error(reason);
        options.onState('failed', reason);
      }
    });
    return latest;
  };

  let unsubscribe = () => {};
  if (config.webhookUrl === 'auto') {
    unsubscribe = ctx.events.subscribe((event, payload) => {
      const url = (payload as { url?: unknown } | undefined)?.url;
      if (event === 'tunnel.url' && typeof url === 'string') void register(url);
    });
    const known = await ctx.store.get<string>(TUNNEL_URL_KEY);
    await register(typeof known === 'string' ? known : undefined);
  } else {
    await register();
  }
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}

/** The webhook secret: env / config / stored, else a new one stored (0600) for the next start and for the handler. */
async function ensureWebhookSecret(
  ctx: Pick<GatewayContext, 'env' | 'store' | 'logs' | 'log'>,
  config: TelegramConfig,
): Promise<string> {
  const existing = await resolveWebhookSecret(ctx, config);
  if (existing) {
    ctx.logs.redactor.add(existing);
    return existing;
  }
  // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -: hex fits.
  const secret = randomToken(32);
  await ctx.store.set(credentialKey(WEBHOOK_SECRET), secret);
  ctx.logs.redactor.add(secret);
  ctx.log.scope('telegram').info('generated a webhook secret (kept in the credentials area)');
  return secret;
}
