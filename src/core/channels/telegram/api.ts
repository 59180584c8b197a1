import type { Api } from 'grammy';
import type { GatewayError } from '../../errors';
import { asyncCache } from '../../runtime/async-cache';
import { sendError } from '../send-error';

export type TelegramApi = Api;

const clients = asyncCache<Api>();

/**
 * grammY's Bot API client for a token and API root. grammY is imported on first use only, so a
 * gateway without Telegram never loads it; clients are kept per token and root.
 */
export function telegramApi(token: string, apiRoot: string): Promise<Api> {
  // grammY's web build: ESM that bundles down to the Api class (45 KB instead of 436 KB with the
  // Node build's bot framework, node-fetch and URL polyfills), on the platform's fetch.
  return clients(`${apiRoot}\n${token}`, () =>
    import('grammy/web').then(({ Api }) => new Api(token, { apiRoot })),
  );
}

/** What the Bot API said when it refused a call (grammY's `GrammyError`), read without importing grammY. */
export interface TelegramApiFailure {
  code: number;
  description: string;
  retryAfterSeconds?: number;
}

export function apiFailure(error: unknown): TelegramApiFailure | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
  if (typeof e.error_code !== 'number' || typeof e.description !== 'string') return undefined;
  const retry = e.parameters?.retry_after;
  return {
    code: e.error_code,
    description: e.description,
    ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
  };
}

/** Telegram's 400 "can't parse entities": the HTML we sent was refused, plain text will go through. */
export function isEntityParseError(error: unknown): boolean {
  const failure = apiFailure(error);
  return (
    failure?.code === 400 &&
    /can't parse entities|unsupported start tag|can't find end/i.test(failure.description)
  );
}

/** A short, secret-free reason for a log line or a channel status. */
export function describeTelegramError(error: unknown): string {
  const failure = apiFailure(error);
  if (failure) {
    if (failure.code === 401 || failure.code === 404)
      return `Telegram rejected the bot token (${failure.code} ${failure.description})`;
    return `Telegram answered ${failure.code}: ${failure.description}`;
  }
  const cause = (error as { error?: unknown })?.error ?? error;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `cannot reach the Bot API: ${message}${typeof code === 'string' && !message.includes(code) ? ` (${code})` : ''}`;
}

/**
 * grammY's Node typings name the `abort-controller` polyfill's AbortSignal; the platform's own
 * works the same at runtime, so it is passed through as grammY's type.
 */
export function grammySignal(signal: AbortSignal): Parameters<Api['getMe']>[0] {
  return signal as unknown as Parameters<Api['getMe']>[0];
}

/**
 * A failed send as the pipeline reads it. 403 (the user blocked the bot, it was removed from the
 * group) and 400 (chat not found, thread gone, message refused) will fail the same way every
 * time: not retryable. A 429 waits as long as Telegram says; anything else (5xx, network) is retried.
 */
export function toTelegramSendError(error: unknown): GatewayError {
  const failure = apiFailure(error);
  const retryable = !(failure && (failure.code === 403 || failure.code === 400));
  const retryAfterMs =
    failure?.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : undefined;
  return sendError('telegram', describeTelegramError(error), {
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    cause: error,
  });
}
