import type { Update } from 'grammy/types';
import {
  apiFailure,
  describeTelegramError,
  grammySignal,
  type TelegramApi,
} from '../../../core/channels/telegram/api';
import { ALLOWED_UPDATES } from '../../../core/channels/telegram/settings';
import { isGatewayError } from '../../../core/errors';
import type { Logger } from '../../../core/log/logger';
import { createBackoff } from '../../../core/runtime/backoff';
import { type Clock, systemClock } from '../../../core/runtime/clock';

/** Long-poll window Telegram holds a `getUpdates` open for. */
const POLL_TIMEOUT_S = 25;
export const BACKOFF_MS = { first: 500, max: 30_000 };

export interface PollingOptions {
  api: TelegramApi;
  log: Logger;
  /** Where the retry waits run (the gateway's clock; the system's when not given). */
  clock?: Clock;
  /** Hands one update to the pipeline; resolves once it is durable. */
  accept(update: Update): Promise<unknown>;
  /** Called with `reconnecting` after a failed poll and `connected` once polls work again. */
  onState(state: 'connected' | 'reconnecting' | 'failed', error?: string): void;
}

/**
 * `deleteWebhook`, then long-polls `getUpdates`. The offset that confirms an update to Telegram is
 * sent with the next poll, and only advances past an update after `accept` resolved: a crash in
 * between gets the update again, and the pipeline's dedupe answers it once.
 */
export function startPolling(options: PollingOptions): { stop(): Promise<void> } {
  const { api, log, clock = systemClock } = options;
  const abort = new AbortController();

  const loop = (async () => {
    let offset: number | undefined;
    const backoff = createBackoff(clock, BACKOFF_MS);
    let failing = false;
    const retry = async (reason: string) => {
      log.warn(`${reason}; retrying in ${formatDelay(backoff.delay)}`);
      if (!failing) options.onState('reconnecting', reason);
      failing = true;
      await backoff.wait(abort.signal);
    };

    while (!abort.signal.aborted) {
      try {
        await api.deleteWebhook({ drop_pending_updates: false }, grammySignal(abort.signal));
        break;
      } catch (error) {
        if (abort.signal.aborted) return;
        if (apiFailure(error)?.code === 401) return fatal(error);
        await retry(`deleteWebhook failed: ${describeTelegramError(error)}`);
      }
    }
    log.info('polling for updates (no webhookUrl set)');

    while (!abort.signal.aborted) {
      let batch: Update[];
      try {
        // After a failure a short poll tells at once whether Telegram is back.
        batch = await api.getUpdates(
          { offset, timeout: failing ? 0 : POLL_TIMEOUT_S, allowed_updates: [...ALLOWED_UPDATES] },
          grammySignal(abort.signal),
        );
      } catch (error) {
        if (abort.signal.aborted) return;
        const failure = apiFailure(error);
        if (failure?.code === 401) return fatal(error);
        await retry(
          failure?.code === 409
            ? `another process is using this bot token (409 Conflict: ${failure.description}); stop the other poller or set webhookUrl`
            : `getUpdates failed: ${describeTelegramError(error)}`,
        );
        continue;
      }
      if (failing) {
        log.info('polling works again');
        options.onState('connected');
        failing = false;
        backoff.reset();
      }
      for (const update of batch) {
        try {
          await options.accept(update);
        } catch (error) {
          if (isGatewayError(error) && error.status < 500) {
            // Bad input stays bad: confirm it rather than loop on it forever.
            log.warn(`skipped update ${update.update_id}: ${error.message}`);
          } else {
            log.error(`could not spool update ${update.update_id}, will ask for it again`, error);
            await retry('spooling failed');
            break;
          }
        }
        offset = update.update_id + 1;
      }
    }
  })();

  function fatal(error: unknown): void {
    const reason = describeTelegramError(error);
    log.error(`polling stopped: ${reason}`);
    options.onState('failed', reason);
  }

  return {
    async stop() {
      abort.abort();
      await loop.catch(() => {});
    },
  };
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}
