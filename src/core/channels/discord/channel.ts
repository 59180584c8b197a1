import type { KrabConfig } from '../../config/schema';
import type { GatewayError } from '../../errors';
import { chunkText } from '../../pipeline/chunk-text';
import type { Clock } from '../../runtime/clock';
import { sendError } from '../send-error';
import type { ChannelAdapter, ChannelPolicy, ReplyTarget } from '../types';
import { admitDiscordGroup } from './admit';
import { type DiscordRest, discordErrorStatus } from './rest';

/** Discord refuses message content longer than this. */
export const DISCORD_TEXT_LIMIT = 2000;
/** Only users the reply names may be pinged, never @everyone or roles the model happens to write. */
const ALLOWED_MENTIONS = { parse: ['users'], replied_user: true };
/** Discord shows "typing" for 10 s; it is renewed this often until the reply goes out. */
export const TYPING_RENEW_MS = 8_000;
/** A run that takes longer than this stops showing "typing" (the answer still comes). */
const TYPING_MAX_MS = 180_000;
/** How many answered message ids are remembered, so only a reply's first message quotes the question. */
const QUOTED_KEPT = 500;

export function discordPolicy(config: KrabConfig): ChannelPolicy {
  const discord = config.channels?.discord;
  return {
    dmPolicy: discord?.dmPolicy ?? 'pairing',
    allowFrom: discord?.allowFrom ?? [],
    groupPolicy: discord?.groupPolicy ?? 'allowlist',
  };
}

/** Discord's policies alone, for entries that decide without a running channel (`/ask`). */
export const DISCORD_POLICIES: Pick<ChannelAdapter, 'policy' | 'admitGroup'> = {
  policy: discordPolicy,
  admitGroup: admitDiscordGroup,
};

/** Where a reply is posted: the thread when there is one, else the channel or DM. */
export function targetChannelId(target: ReplyTarget): string {
  return target.threadId ?? target.chatId;
}

export interface DiscordChannelDeps {
  /** The bot's REST client, created on first use (replies replayed from the spool may precede the socket). */
  rest(): Promise<DiscordRest>;
  clock: Clock;
}

/**
 * The Discord channel as the inbound pipeline sees it: a reply answers the message it is for
 * (its first part quotes it), in the thread when it came from one, split at 2000 characters
 * without breaking code blocks; "typing" shows from `typing()` until the reply is sent.
 */
export interface DiscordChannel extends ChannelAdapter {
  /** The bot's REST client (also good for interaction webhooks, which need no token). */
  rest(): Promise<DiscordRest>;
  stopTyping(): void;
}

export function createDiscordChannel(deps: DiscordChannelDeps): DiscordChannel {
  const typingTimers = new Map<string, () => void>();
  const quoted = new Set<string>();

  const stopTypingIn = (channelId: string) => {
    typingTimers.get(channelId)?.();
    typingTimers.delete(channelId);
  };
  const markQuoted = (messageId: string) => {
    quoted.add(messageId);
    if (quoted.size > QUOTED_KEPT) quoted.delete(quoted.values().next().value as string);
  };
  // One message: never pinging roles or everyone; a nonce names it for good (Discord drops a
  // resend after a crash); quoting `quote`, which is then remembered as quoted.
  const postMessage = async (
    client: DiscordRest,
    channelId: string,
    content: string,
    options: { nonceKey?: string; quote?: string },
  ): Promise<{ id?: unknown }> => {
    const body: Record<string, unknown> = { content, allowed_mentions: ALLOWED_MENTIONS };
    if (options.nonceKey)
      Object.assign(body, { nonce: await discordNonce(options.nonceKey), enforce_nonce: true });
    if (options.quote) body.message_reference = { message_id: options.quote, fail_if_not_exists: false };
    const sent = (await client.post(`/channels/${channelId}/messages`, { body }).catch((error) => {
      throw toDiscordSendError(error);
    })) as { id?: unknown };
    if (options.quote) markQuoted(options.quote);
    return sent;
  };
  // https://discord.com/developers/docs/resources/message#edit-message. Discord renders the same
  // Markdown while it streams, so previews and the final edit carry the text as is. A 429 is
  // waited out by @discordjs/rest (its buckets read Discord's rate-limit headers).
  const editMessage = async (target: ReplyTarget, messageId: string, content: string) => {
    const client = await deps.rest();
    await client
      .patch(`/channels/${targetChannelId(target)}/messages/${messageId}`, {
        body: { content, allowed_mentions: ALLOWED_MENTIONS },
      })
      .catch((error) => {
        throw toDiscordSendError(error);
      });
  };

  return {
    id: 'discord',
    textLimit: DISCORD_TEXT_LIMIT,
    policy: discordPolicy,
    admitGroup: admitDiscordGroup,
    async send(target, text, sendKey) {
      const client = await deps.rest();
      const channelId = targetChannelId(target);
      stopTypingIn(channelId);
      for (const [index, content] of chunkText(text, DISCORD_TEXT_LIMIT).entries()) {
        const quote = target.replyToMessageId;
        await postMessage(client, channelId, content, {
          ...(sendKey ? { nonceKey: `${sendKey}/${index}` } : {}),
          ...(quote && !quoted.has(quote) ? { quote } : {}),
        });
      }
    },
    async typing(target) {
      const client = await deps.rest();
      const channelId = targetChannelId(target);
      stopTypingIn(channelId);
      const startedAt = deps.clock.now();
      let cancel = () => {};
      const renew = () => {
        if (deps.clock.now() - startedAt >= TYPING_MAX_MS) return stopTypingIn(channelId);
        cancel = deps.clock.setTimer(() => {
          client.post(`/channels/${channelId}/typing`).catch(() => {});
          renew();
        }, TYPING_RENEW_MS);
      };
      typingTimers.set(channelId, () => cancel());
      renew();
      await client.post(`/channels/${channelId}/typing`);
    },
    preview: {
      configured: (config) => config.channels?.discord?.preview,
      // The first message of the reply: it quotes the question, carries a nonce (a resend after a
      // crash is the same message) and ends "typing".
      async start(target, text, sendKey) {
        const client = await deps.rest();
        const channelId = targetChannelId(target);
        stopTypingIn(channelId);
        const quote = target.replyToMessageId;
        const sent = await postMessage(client, channelId, text, {
          ...(sendKey ? { nonceKey: sendKey } : {}),
          ...(quote ? { quote } : {}),
        });
        return String(sent.id);
      },
      edit: (target, messageId, text) => editMessage(target, messageId, text),
      finish(target, messageId, text) {
        stopTypingIn(targetChannelId(target));
        return editMessage(target, messageId, text);
      },
    },
    rest: () => deps.rest(),
    stopTyping() {
      for (const channelId of [...typingTimers.keys()]) stopTypingIn(channelId);
    },
  };
}

/**
 * A chunk's nonce (25 characters at most). With `enforce_nonce`, Discord answers a second create
 * with the same nonce from this bot, within a few minutes, with the message it already created.
 */
export async function discordNonce(sendKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sendKey)));
  return Array.from(digest.subarray(0, 12), (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 25);
}

/**
 * A failed send as the pipeline reads it: 400 (refused message), 403 (missing access, DMs closed)
 * and 404 (unknown channel) fail the same way every time; 5xx and network errors are retried
 * (@discordjs/rest already waited out 429s).
 */
export function toDiscordSendError(error: unknown): GatewayError {
  const status = discordErrorStatus(error);
  const retryable = !(status === 400 || status === 403 || status === 404);
  const said = error instanceof Error ? error.message : String(error);
  return sendError('discord', `sending failed${status ? ` (HTTP ${status})` : ''}: ${said}`, {
    retryable,
    cause: error,
  });
}
