import type { KrabConfig } from '../../config/schema';
import type { GatewayContext } from '../../context';
import { chunkText } from '../../pipeline/chunk-text';
import { admitFromGroupTable } from '../group-table';
import type { ChannelAdapter, InboundMessage, ReplyTarget } from '../types';
import { toTelegramSendError } from './api';
import { createTelegramPreview } from './preview';
import { sendTelegramChunk, sendTelegramTyping, TELEGRAM_TEXT_LIMIT } from './send';
import { openTelegramBot, type TelegramSessionContext } from './session';
import { telegramConfigOf, telegramEnabled } from './settings';

/** Telegram shows `typing` for about 5 s; it is renewed until the reply goes out, for at most 2 minutes. */
const TYPING_EVERY_MS = 4_500;
const TYPING_MAX_MS = 120_000;
/** How many replies in progress remember that their first chunk already quoted the user's message. */
const QUOTED_KEPT = 500;

/** The Telegram side of the shared pipeline: policies from `channels.telegram`, replies through grammY. */
export function createTelegramAdapter(
  ctx: TelegramSessionContext & Pick<GatewayContext, 'clock'>,
): ChannelAdapter {
  const typing = new Map<string, () => void>();
  const quoted = new Set<string>();
  const chatKey = (target: ReplyTarget) => `${target.chatId}:${target.threadId ?? ''}`;
  const stopTyping = (key: string) => {
    typing.get(key)?.();
    typing.delete(key);
  };
  const replyKeyOf = (target: ReplyTarget) => `${target.chatId}:${target.replyToMessageId}`;
  const markQuoted = (replyKey: string) => {
    quoted.add(replyKey);
    if (quoted.size > QUOTED_KEPT) quoted.delete(quoted.values().next().value!);
  };

  return {
    id: 'telegram',
    textLimit: TELEGRAM_TEXT_LIMIT,
    policy(config) {
      const telegram = config.channels?.telegram ?? {};
      return {
        dmPolicy: telegram.dmPolicy ?? 'pairing',
        allowFrom: telegram.allowFrom ?? [],
        groupPolicy: telegram.groupPolicy ?? 'allowlist',
      };
    },
    admitGroup: admitTelegramGroup,
    preview: createTelegramPreview(ctx, {
      started(target) {
        stopTyping(chatKey(target));
        markQuoted(replyKeyOf(target));
      },
    }),
    async send(target, text) {
      stopTyping(chatKey(target));
      const { api } = await openTelegramBot(ctx);
      // The pipeline sends a long reply chunk by chunk with the same target: only the first quotes the user.
      const replyKey = replyKeyOf(target);
      let first = target.replyToMessageId !== undefined && !quoted.has(replyKey);
      // The pipeline already chunks at `textLimit`; this only guards a direct caller.
      for (const chunk of text.length > TELEGRAM_TEXT_LIMIT ? chunkText(text, TELEGRAM_TEXT_LIMIT) : [text]) {
        await sendTelegramChunk(api, target, chunk, first).catch((error) => {
          throw toTelegramSendError(error);
        });
        // Remembered once it went out, so a retried first chunk still quotes.
        if (first) markQuoted(replyKey);
        first = false;
      }
    },
    async typing(target) {
      const key = chatKey(target);
      stopTyping(key);
      const { api } = await openTelegramBot(ctx);
      const started = ctx.clock.now();
      let cancel = () => {};
      const tick = () => {
        if (ctx.clock.now() - started > TYPING_MAX_MS) return stopTyping(key);
        cancel = ctx.clock.setTimer(() => {
          void sendTelegramTyping(api, target).catch(() => {});
          tick();
        }, TYPING_EVERY_MS);
      };
      typing.set(key, () => cancel());
      tick();
      await sendTelegramTyping(api, target);
    },
  };
}

/** Telegram's groups are listed by chat id under `channels.telegram.groups` (see `admitFromGroupTable`). */
export function admitTelegramGroup(
  message: InboundMessage,
  config: KrabConfig,
): { allowed: boolean; requireMention: boolean } {
  return admitFromGroupTable(config.channels?.telegram ?? {}, message.chat.id);
}

/**
 * Registers the Telegram adapter when the channel is enabled, so replies (and spool replays) can
 * go out. The Node service does this itself; a runtime without it (Workers, webhook only) calls this.
 */
export function registerTelegramChannel(
  ctx: TelegramSessionContext & Pick<GatewayContext, 'clock' | 'channels'>,
): void {
  if (telegramEnabled(ctx.env, telegramConfigOf(ctx))) ctx.channels.register(createTelegramAdapter(ctx));
}
