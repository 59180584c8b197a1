import type { Update } from 'grammy/types';
import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { mediaCaps } from '../../media/settings';
import { FILE_FETCH_TIMEOUT_MS, fetchTelegramFiles } from './media';
import { parseTelegramUpdate } from './normalize';
import { openTelegramInbound } from './session';
import { assertTelegramMessageShape } from './update-shape';

export type TelegramAcceptResult = 'accepted' | 'duplicate' | 'ignored';

/**
 * One update from Telegram (webhook or `getUpdates`) into the shared pipeline: normalize, fetch its
 * images, then `pipeline.accept`, which resolves once the message is durable in the spool. Only
 * then may the caller acknowledge (HTTP 200, next polling offset). Updates the gateway does not
 * answer are acknowledged at once as `ignored`.
 */
export async function acceptTelegramUpdate(
  ctx: Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config' | 'clock' | 'pipeline'>,
  update: Update,
): Promise<TelegramAcceptResult> {
  assertTelegramMessageShape(update);
  const bot = await openTelegramInbound(ctx);
  const parsed = parseTelegramUpdate(update, bot.identity, ctx.clock.now());
  if (!parsed) return 'ignored';
  if (parsed.files.length > 0) {
    const abort = new AbortController();
    const cancel = ctx.clock.setTimer(() => abort.abort(), FILE_FETCH_TIMEOUT_MS);
    try {
      await fetchTelegramFiles(parsed, bot, abort.signal, mediaCaps(ctx.config()));
    } finally {
      cancel();
    }
  }
  const { duplicate } = await ctx.pipeline.accept(parsed.message);
  return duplicate ? 'duplicate' : 'accepted';
}

/** A webhook body or polled entry that is not an object with a numeric `update_id` is refused. */
export function toTelegramUpdate(value: unknown): Update {
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !Number.isSafeInteger((value as Update).update_id)
  ) {
    throw new GatewayError('BAD_REQUEST', 'expected a Telegram Update object with a numeric update_id');
  }
  return value as Update;
}
