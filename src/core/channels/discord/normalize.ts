import type { InboundAttachment, InboundMessage } from '../types';
import {
  type DiscordAttachment,
  type DiscordChannel,
  type DiscordMessage,
  isThread,
  USER_MESSAGE_TYPES,
} from './payloads';

/** The one account a gateway runs per channel; replies are addressed with it. */
export const DISCORD_ACCOUNT = 'default';

export interface NormalizeContext {
  /** The bot's own user id (from READY). */
  botId: string;
  /** The channel the message was posted in, when known (from GUILD_CREATE or GET /channels/{id}). */
  channel?: DiscordChannel;
  /** A thread's parent channel, when the message came from a thread. */
  parent?: DiscordChannel;
  now: number;
}

/** Whether a MESSAGE_CREATE is one the bot should look at at all: a person wrote it, not a bot or a webhook. */
export function isFromPerson(message: DiscordMessage, botId: string): boolean {
  return (
    USER_MESSAGE_TYPES.has(message.type) &&
    message.author.id !== botId &&
    !message.author.bot &&
    message.webhook_id === undefined
  );
}

/**
 * MESSAGE_CREATE → InboundMessage. A message in a thread is a message of the thread's parent
 * channel (allowlists name the parent) with `threadId` set, so the reply goes into the thread.
 */
export function toInboundMessage(message: DiscordMessage, context: NormalizeContext): InboundMessage {
  const { botId } = context;
  const mentioned =
    (message.mentions ?? []).some((user) => user.id === botId) ||
    message.referenced_message?.author.id === botId;
  const inbound: InboundMessage = {
    channel: 'discord',
    accountId: DISCORD_ACCOUNT,
    messageId: message.id,
    chat: toChat(message, context),
    sender: {
      id: message.author.id,
      name: message.member?.nick ?? message.author.global_name ?? message.author.username,
      username: message.author.username,
    },
    text: toPlainText(message, botId),
    mentioned,
    receivedAt: context.now,
  };
  const replyId = message.message_reference?.message_id;
  if (replyId) {
    inbound.replyTo = { messageId: replyId };
    if (message.referenced_message?.content) inbound.replyTo.text = message.referenced_message.content;
  }
  const voice = ((message.flags ?? 0) & IS_VOICE_MESSAGE) !== 0;
  const attachments = (message.attachments ?? []).map((attachment) => toAttachment(attachment, voice));
  if (attachments.length > 0) inbound.attachments = attachments;
  return inbound;
}

function toChat(message: DiscordMessage, context: NormalizeContext): InboundMessage['chat'] {
  if (!message.guild_id) return { id: message.channel_id, kind: 'dm' };
  const { channel, parent } = context;
  if (isThread(channel) && channel?.parent_id) {
    const chat: InboundMessage['chat'] = {
      id: channel.parent_id,
      kind: 'group',
      guildId: message.guild_id,
      threadId: message.channel_id,
    };
    if (parent?.name) chat.name = parent.name;
    return chat;
  }
  const chat: InboundMessage['chat'] = { id: message.channel_id, kind: 'group', guildId: message.guild_id };
  if (channel?.name) chat.name = channel.name;
  return chat;
}

/** The text as a person reads it: the bot's own mention removed, other user mentions as `@name`. */
function toPlainText(message: DiscordMessage, botId: string): string {
  const names = new Map((message.mentions ?? []).map((user) => [user.id, user.global_name ?? user.username]));
  return message.content
    .replace(/<@!?(\d+)>/g, (token, id: string) => {
      if (id === botId) return '';
      const name = names.get(id);
      return name ? `@${name}` : token;
    })
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

const KIND_BY_TYPE: Array<[prefix: string, kind: InboundAttachment['kind']]> = [
  ['image/', 'image'],
  ['audio/', 'audio'],
  ['video/', 'video'],
];

/** https://discord.com/developers/docs/resources/message#message-object-message-flags */
const IS_VOICE_MESSAGE = 1 << 13;

function toAttachment(attachment: DiscordAttachment, voiceMessage: boolean): InboundAttachment {
  const mimeType = attachment.content_type?.split(';')[0]?.trim();
  const kind = KIND_BY_TYPE.find(([prefix]) => mimeType?.startsWith(prefix))?.[1] ?? 'file';
  const result: InboundAttachment = { kind, name: attachment.filename };
  if (mimeType) result.mimeType = mimeType;
  if (attachment.size !== undefined) result.size = attachment.size;
  if (attachment.duration_secs) result.durationSeconds = Math.round(attachment.duration_secs);
  if (kind === 'audio' && voiceMessage) result.voice = true;
  result.description = `${kind} ${attachment.filename}${attachment.size === undefined ? '' : ` (${attachment.size} bytes)`}`;
  return result;
}
