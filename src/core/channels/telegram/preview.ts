import type { ChannelPreview, ReplyTarget } from '../types';
import { toTelegramSendError } from './api';
import { editTelegramText, telegramSendOptions } from './send';
import { openTelegramBot, type TelegramSessionContext } from './session';

export interface TelegramPreviewHooks {
  /** The preview is the first message of the reply: typing stops and later chunks do not quote (also told at `finish`, after a restart). */
  started(target: ReplyTarget): void;
}

/**
 * Reply previews on Telegram: `sendMessage`, then `editMessageText`, both as plain text (a
 * half-streamed `**bold` or code fence never meets Telegram's entity parser); the final first
 * chunk goes in as HTML like any sent chunk. Errors come out as send errors, so a 429's
 * `retry_after` reaches the preview as `retryAfterMs`.
 */
export function createTelegramPreview(
  ctx: TelegramSessionContext,
  hooks: TelegramPreviewHooks,
): ChannelPreview {
  const fail = (error: unknown): never => {
    throw toTelegramSendError(error);
  };
  return {
    configured: (config) => config.channels?.telegram?.preview,
    async start(target, text) {
      const { api } = await openTelegramBot(ctx);
      const sent = await api.sendMessage(target.chatId, text, telegramSendOptions(target, true)).catch(fail);
      hooks.started(target);
      return String(sent.message_id);
    },
    async edit(target, messageId, text) {
      const { api } = await openTelegramBot(ctx);
      await editTelegramText(api, target, Number(messageId), text, false).catch(fail);
    },
    async finish(target, messageId, text) {
      hooks.started(target);
      const { api } = await openTelegramBot(ctx);
      await editTelegramText(api, target, Number(messageId), text, true).catch(fail);
    },
  };
}
