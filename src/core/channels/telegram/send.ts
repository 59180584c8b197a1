import type { ReplyTarget } from '../types';
import { isEntityParseError, type TelegramApi } from './api';
import { toTelegramHtml } from './format';

/** Telegram's limit on one message's text, counted after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

type SendOptions = NonNullable<Parameters<TelegramApi['sendMessage']>[2]>;

/**
 * Sends one chunk (at most 4096 characters of Markdown, so at most 4096 visible characters once
 * rendered) as Telegram HTML in the target's chat and topic; when Telegram rejects the entities
 * it is sent again as the plain text. Only the first chunk of a reply quotes the user's message.
 */
export async function sendTelegramChunk(
  api: TelegramApi,
  target: ReplyTarget,
  chunk: string,
  first: boolean,
): Promise<number> {
  const options: SendOptions = {
    ...(target.threadId ? { message_thread_id: Number(target.threadId) } : {}),
    ...(first && target.replyToMessageId
      ? {
          reply_parameters: {
            message_id: Number(target.replyToMessageId),
            allow_sending_without_reply: true,
          },
        }
      : {}),
    link_preview_options: { is_disabled: true },
  };
  try {
    const sent = await api.sendMessage(target.chatId, toTelegramHtml(chunk), {
      ...options,
      parse_mode: 'HTML',
    });
    return sent.message_id;
  } catch (error) {
    if (!isEntityParseError(error)) throw error;
    const sent = await api.sendMessage(target.chatId, chunk, options);
    return sent.message_id;
  }
}

/** The `typing` indicator in the target's chat and topic; Telegram shows it for about 5 s. */
export async function sendTelegramTyping(api: TelegramApi, target: ReplyTarget): Promise<void> {
  await api.sendChatAction(
    target.chatId,
    'typing',
    target.threadId ? { message_thread_id: Number(target.threadId) } : {},
  );
}
