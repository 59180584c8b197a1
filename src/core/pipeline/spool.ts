import type { InboundMessage, ReplyTarget } from '../channels/types';
import { keySegment } from '../storage/store';

/** One accepted message until its reply is sent (`spool:<channel>:<chat>:<messageId>`). */
export interface SpoolEntry {
  v: 1;
  message: InboundMessage;
  acceptedAt: number;
  /** `pending`: not answered yet; `replying`: the answer is fixed and `reply.sent` chunks went out. */
  state: 'pending' | 'replying';
  /** The dedupe record written at accept and again when done. */
  dedupeKey: string;
  attempts: number;
  agentId?: string;
  sessionKey?: string;
  reply?: { kind: 'answer' | 'error' | 'pairing'; chunks: string[]; sent: number };
  /**
   * The reply preview shown while the agent ran (`channels.<id>.preview`), recorded as soon as it
   * was sent: the first chunk is edited into it, also after a restart, instead of sent anew.
   */
  previewMessageId?: string;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The spool key is derived from the message, so a redelivery lands on the same entry. */
export function spoolKeyOf(message: InboundMessage): string {
  return `spool:${keySegment(message.channel)}:${keySegment(message.chat.id)}:${keySegment(message.messageId)}`;
}

/**
 * Dedupe records live in one bucket per day (`dedupe:d<day>:...`): a lookup checks today's and
 * yesterday's bucket (so a record lives at least 24 h) and pruning drops whole older buckets.
 */
export function dedupeKeyOf(message: InboundMessage, now: number): string {
  return `dedupe:${dayBucket(now)}:${keySegment(message.channel)}:${keySegment(message.chat.id)}:${keySegment(message.messageId)}`;
}

export function dayBucket(now: number): string {
  return `d${Math.floor(now / DAY_MS)}`;
}

export function replyTargetOf(message: InboundMessage): ReplyTarget {
  return {
    channel: message.channel,
    accountId: message.accountId,
    chatId: message.chat.id,
    ...(message.chat.threadId ? { threadId: message.chat.threadId } : {}),
    replyToMessageId: message.messageId,
  };
}
