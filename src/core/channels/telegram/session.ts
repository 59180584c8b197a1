import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { type TelegramApi, telegramApi } from './api';
import { telegramIdentity } from './identity';
import type { TelegramBotIdentity } from './normalize';
import { resolveTelegramToken, telegramApiRoot, telegramConfigOf } from './settings';

/** What talking to the Bot API needs: the client, and the token and root for file downloads. */
export interface TelegramBot {
  api: TelegramApi;
  token: string;
  apiRoot: string;
}

/** What opening the bot reads: the config, the token (env, config or stored) and the redactor it joins. */
export type TelegramSessionContext = Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config'>;

/** The bot for the current config: token (env > config > stored), API root, grammY client. */
export async function openTelegramBot(ctx: TelegramSessionContext): Promise<TelegramBot> {
  const config = telegramConfigOf(ctx);
  const token = await resolveTelegramToken(ctx, config);
  if (!token) {
    throw new GatewayError(
      'UNAVAILABLE',
      'telegram has no bot token: set TELEGRAM_BOT_TOKEN or run `krabkrab channels add telegram --token <t>`',
    );
  }
  ctx.logs.redactor.add(token.value);
  const apiRoot = telegramApiRoot(ctx.env, config);
  return { api: await telegramApi(token.value, apiRoot), token: token.value, apiRoot };
}

/** The bot plus its identity (for mention detection), as the inbound side needs it. */
export async function openTelegramInbound(
  ctx: TelegramSessionContext,
): Promise<TelegramBot & { identity: TelegramBotIdentity }> {
  const bot = await openTelegramBot(ctx);
  return { ...bot, identity: await telegramIdentity(ctx.store, async () => bot.api) };
}
