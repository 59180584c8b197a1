import { GatewayError, isGatewayError } from '../errors';

/**
 * A send that failed, as the pipeline reads it: `retryable` says whether sending the same chunk
 * again later can help (a timeout, a 5xx, a rate limit) or never will (the user blocked the bot,
 * the chat is gone). Each channel's adapter maps its platform's errors to this; the pipeline
 * retries on `retryable` alone.
 */
export function sendError(
  channel: string,
  message: string,
  options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
): GatewayError {
  return new GatewayError(options.retryable ? 'UNAVAILABLE' : 'FORBIDDEN', `${channel}: ${message}`, {
    retryable: options.retryable,
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
    ...(options.cause !== undefined ? { cause: options.cause } : {}),
  });
}

/** Whether a send error may be retried: an error no adapter classified counts as retryable. */
export function isRetryableSendError(error: unknown): boolean {
  return !isGatewayError(error) || error.retryable;
}
