import type { TelegramSessionContext } from '../../../core/channels/telegram/session';
import { resolveTelegramToken, telegramConfigOf } from '../../../core/channels/telegram/settings';
import { channelRunService } from '../channel-run-service';
import { startTelegramRun, type TelegramRunContext } from './run';

/**
 * The Telegram channel on Node. It restarts when its config or its token changes: the CLI's
 * `channels add telegram` stores a token and rewrites krabkrab.json, which the gateway reloads.
 */
export const telegramService = channelRunService<TelegramRunContext>(
  'telegram',
  signatureOf,
  startTelegramRun,
);

/** What a run depends on: the channel's config and the token in use (compared, never logged). */
async function signatureOf(ctx: TelegramSessionContext): Promise<string> {
  const config = telegramConfigOf(ctx);
  const token = await resolveTelegramToken(ctx, config).catch(() => undefined);
  return JSON.stringify([config, token?.value ?? null]);
}
