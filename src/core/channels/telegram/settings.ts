import type { GatewayContext } from '../../context';
import { type EnvRecord, envVar } from '../../env';
import { resolveSecret, resolveSecretWithSource, type SecretLookup } from '../../secrets';
import type { TelegramConfig } from './config';

/** The secret names (`krabkrab secrets set`, env) of the bot token and of the webhook secret. */
export const TOKEN_SECRET = 'TELEGRAM_BOT_TOKEN';
export const WEBHOOK_SECRET = 'TELEGRAM_WEBHOOK_SECRET';
/** The bot's `getMe` answer, kept so the webhook handler knows the bot's username without asking. */
export const TELEGRAM_IDENTITY_KEY = 'channels:telegram:me';

export const DEFAULT_WEBHOOK_PATH = '/telegram/webhook';
export const DEFAULT_API_ROOT = 'https://api.telegram.org';
/** What the gateway asks Telegram to deliver: only messages are answered. */
export const ALLOWED_UPDATES = ['message'] as const;

export function telegramConfigOf(ctx: Pick<GatewayContext, 'config'>): TelegramConfig {
  return ctx.config().channels?.telegram ?? {};
}

/** The bot token: env `TELEGRAM_BOT_TOKEN` > `channels.telegram.botToken` > the stored credential. */
export function resolveTelegramToken(ctx: SecretLookup, config: TelegramConfig) {
  return resolveSecretWithSource(ctx, TOKEN_SECRET, config.botToken);
}

/** env `TELEGRAM_API_ROOT` > `channels.telegram.apiRoot` > api.telegram.org, without a trailing slash. */
export function telegramApiRoot(env: EnvRecord, config: TelegramConfig): string {
  return (envVar(env, 'TELEGRAM_API_ROOT') ?? config.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
}

/**
 * Whether the channel runs: `enabled: false` always wins; `enabled: true` runs it; unset, it runs
 * when a token is present in env or config (a stored token comes with `enabled: true` from the CLI).
 */
export function telegramEnabled(env: EnvRecord, config: TelegramConfig): boolean {
  if (config.enabled !== undefined) return config.enabled;
  return Boolean(envVar(env, TOKEN_SECRET) ?? config.botToken);
}

/**
 * The local path Telegram posts to: `webhookPath`, else the path of an explicit `webhookUrl`,
 * else `/telegram/webhook`.
 */
export function telegramWebhookPath(config: TelegramConfig): string {
  if (config.webhookPath) return config.webhookPath;
  if (config.webhookUrl && config.webhookUrl !== 'auto') {
    const path = new URL(config.webhookUrl).pathname;
    if (path !== '/' && path !== '') return path;
  }
  return DEFAULT_WEBHOOK_PATH;
}

/** The URL given to `setWebhook`: an explicit URL as written (its path appended when it has none), or the tunnel's. */
export function telegramWebhookTarget(config: TelegramConfig, tunnelUrl?: string): string | undefined {
  const base = config.webhookUrl === 'auto' ? tunnelUrl : config.webhookUrl;
  if (!base) return undefined;
  const url = new URL(base);
  if (config.webhookUrl !== 'auto' && url.pathname !== '/' && url.pathname !== '') return url.toString();
  return `${base.replace(/\/+$/, '')}${telegramWebhookPath(config)}`;
}

/** The secret Telegram must echo in `X-Telegram-Bot-Api-Secret-Token`: env, config, else the stored (generated) one. */
export function resolveWebhookSecret(ctx: SecretLookup, config: TelegramConfig): Promise<string | undefined> {
  return resolveSecret(ctx, WEBHOOK_SECRET, config.webhookSecret);
}
