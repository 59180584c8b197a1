/**
 * The parts of Discord's payloads the gateway reads (API v10). Discord's own objects carry
 * far more; only what normalizing, admitting and answering need is typed here.
 * https://discord.com/developers/docs/resources/message#message-object
 */
export interface DiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface DiscordAttachment {
  id: string;
  filename: string;
  content_type?: string;
  size?: number;
  url?: string;
  /** Voice messages: their length in seconds. */
  duration_secs?: number;
}

export interface DiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: DiscordUser;
  content: string;
  /** 0 default, 19 reply; the others are system messages (joins, pins, ...). */
  type: number;
  webhook_id?: string;
  mentions?: DiscordUser[];
  member?: { nick?: string | null };
  message_reference?: { message_id?: string; channel_id?: string; guild_id?: string };
  referenced_message?: DiscordMessage | null;
  attachments?: DiscordAttachment[];
  /** Bit 13 (8192) marks a voice message. */
  flags?: number;
}

export interface DiscordChannel {
  id: string;
  type: number;
  name?: string | null;
  guild_id?: string;
  parent_id?: string | null;
}

/** https://discord.com/developers/docs/resources/channel#channel-object-channel-types */
export const CHANNEL_TYPE = {
  GUILD_TEXT: 0,
  DM: 1,
  GROUP_DM: 3,
  ANNOUNCEMENT_THREAD: 10,
  PUBLIC_THREAD: 11,
  PRIVATE_THREAD: 12,
} as const;

const THREAD_TYPES: ReadonlySet<number> = new Set([
  CHANNEL_TYPE.ANNOUNCEMENT_THREAD,
  CHANNEL_TYPE.PUBLIC_THREAD,
  CHANNEL_TYPE.PRIVATE_THREAD,
]);

export function isThread(channel: DiscordChannel | undefined): boolean {
  return channel !== undefined && THREAD_TYPES.has(channel.type);
}

/** Message types a person writes: 0 default, 19 reply, 20 chat-input command result is the bot's own. */
export const USER_MESSAGE_TYPES: ReadonlySet<number> = new Set([0, 19]);
