import type { ReplyTarget } from '../types';
import { apiFailure, isEntityParseError, type TelegramApi } from './api';
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
  const options = telegramSendOptions(target, first);
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

/** Where a message goes (topic), whether it quotes the user's message, no link previews. */
export function telegramSendOptions(target: ReplyTarget, first: boolean): SendOptions {
  return {
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
}

/**
 * Replaces a message's text (https://core.telegram.org/bots/api#editmessagetext): as Telegram
 * HTML when `formatted` (plain again if the entities are refused), else as the plain text.
 * Telegram's 400 "message is not modified" (the same text again, e.g. after a restart) is success.
 */
export async function editTelegramText(
  api: TelegramApi,
  target: ReplyTarget,
  messageId: number,
  text: string,
  formatted: boolean,
): Promise<void> {
  const options = { link_preview_options: { is_disabled: true } };
  const edit = (body: string, parseMode?: 'HTML') =>
    api
      .editMessageText(
        target.chatId,
        messageId,
        body,
        parseMode ? { ...options, parse_mode: parseMode } : options,
      )
      .then(
        () => {},
        (error: unknown) => {
          if (!/message is not modified/i.test(apiFailure(error)?.description ?? '')) throw error;
        },
      );
  if (!formatted) return edit(text);
  try {
    await edit(toTelegramHtml(text), 'HTML');
  } catch (error) {
    if (!isEntityParseError(error)) throw error;
    await edit(text);
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
