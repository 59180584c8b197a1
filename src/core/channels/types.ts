import type { KrabConfig } from '../config/schema';
import type { dmPolicy, groupPolicy, previewMode } from '../config/sections/policy';
import * as z from '../zod';

export type DmPolicy = z.infer<typeof dmPolicy>;
export type GroupPolicy = z.infer<typeof groupPolicy>;

/** A message from any channel, normalized: what the inbound pipeline (spool, policy, binding, agent) sees. */
export interface InboundMessage {
  channel: string;
  /** The bot/account that received it (several bots per channel are possible). */
  accountId: string;
  /** The platform's id of this message: the dedupe key together with channel and chat. */
  messageId: string;
  chat: {
    id: string;
    kind: 'dm' | 'group';
    /** Forum topic or thread the message belongs to; replies go there. */
    threadId?: string;
    guildId?: string;
    name?: string;
  };
  sender: { id: string; name?: string; username?: string };
  text: string;
  /** Addressed to the bot: @mention, a reply to the bot, or `/command@bot`. */
  mentioned: boolean;
  replyTo?: { messageId: string; text?: string };
  attachments?: InboundAttachment[];
  receivedAt: number;
}

export interface InboundAttachment {
  kind: 'image' | 'file' | 'audio' | 'video';
  mimeType?: string;
  name?: string;
  size?: number;
  /** Length of audio or video, when the platform says (caps transcription before any download). */
  durationSeconds?: number;
  /** A voice note the sender recorded (not a forwarded or attached audio file). */
  voice?: boolean;
  /**
   * Inline bytes: images for vision models, audio for transcription (dropped once transcribed);
   * absent when too large (then `description` says so).
   */
  dataBase64?: string;
  /** What transcription made of the audio (set by the pipeline before the turn). */
  transcript?: string;
  description?: string;
}

/**
 * Where a reply goes (a protocol record: `pairing.list` shows it). Runtime code imports only
 * types from this file, so the schema is not built at start.
 */
export const replyTarget = z.object({
  channel: z.string(),
  accountId: z.string(),
  chatId: z.string(),
  threadId: z.string().optional(),
  replyToMessageId: z.string().optional(),
});
export type ReplyTarget = z.infer<typeof replyTarget>;

/** How a channel's config maps to the shared policies. */
export interface ChannelPolicy {
  dmPolicy: DmPolicy;
  allowFrom: string[];
  groupPolicy: GroupPolicy;
}

/**
 * What each channel gives the shared inbound pipeline. Receiving (webhook, polling, gateway
 * socket) is the channel's own business; it hands normalized messages to the pipeline.
 */
export interface ChannelAdapter {
  id: string;
  /** Longest text one message may carry (Telegram 4096, Discord 2000). */
  textLimit: number;
  policy(config: KrabConfig): ChannelPolicy;
  /** Whether a group/guild message may be answered at all, and whether it needs a mention. */
  admitGroup(message: InboundMessage, config: KrabConfig): { allowed: boolean; requireMention: boolean };
  /**
   * Sends one chunk of a reply. `sendKey` names that chunk for good (the same after a restart);
   * a platform that dedupes sends (Discord's `enforce_nonce`) gets it, so a resend after a crash
   * in the middle of a send is not shown twice.
   */
  send(target: ReplyTarget, text: string, sendKey?: string): Promise<void>;
  typing?(target: ReplyTarget): Promise<void>;
  /** Reply previews (`channels.<id>.preview`), on channels that can edit their own messages. */
  preview?: ChannelPreview;
}

/** `channels.<telegram|discord>.preview`: show the reply growing in one edited message, or not. */
export type PreviewMode = z.infer<typeof previewMode>;

/**
 * One message that shows a reply while the model streams it, then becomes the reply's first chunk.
 * Previews go out as plain text (a half-written `**bold` must not make the platform refuse the
 * edit); `finish` puts the final chunk in, formatted as `send` would.
 */
export interface ChannelPreview {
  /** The configured mode; undefined when unset (then: `edit` in the owners' DMs, `off` elsewhere). */
  configured(config: KrabConfig): PreviewMode | undefined;
  /** Sends the first preview text (quoting the user's message as a first chunk does); the new message's id. */
  start(target: ReplyTarget, text: string, sendKey?: string): Promise<string>;
  edit(target: ReplyTarget, messageId: string, text: string): Promise<void>;
  /** Replaces the preview with the reply's first chunk. Throws like `send` (a non-retryable error: the message is gone). */
  finish(target: ReplyTarget, messageId: string, text: string): Promise<void>;
}
