import type { InboundMessage } from '../types';

/** The parts of a Slack `message` / `app_mention` event the gateway reads. https://api.slack.com/events/message */
export interface SlackEvent {
  type?: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

/** Subtypes that are still a person writing; every other (edits, joins, bot posts) is ignored. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/**
 * A Slack event as the pipeline's message, or undefined for what is not answered (the bot's own
 * posts, other bots, edits, joins). A DM (`channel_type: im`) is a `dm`; a channel message is a
 * `group` whose reply goes into its thread (a top-level message starts one). A channel @mention
 * arrives twice (`message` and `app_mention`) with the same `ts`: the pipeline's dedupe answers once.
 */
export function parseSlackEvent(
  event: SlackEvent,
  bot: { userId: string; teamId: string },
  now: number,
): InboundMessage | undefined {
  if (event.type !== 'message' && event.type !== 'app_mention') return undefined;
  if (!PERSON_SUBTYPES.has(event.subtype) || event.bot_id) return undefined;
  const { channel, user, ts } = event;
  if (!channel || !user || !ts || user === bot.userId || typeof event.text !== 'string') return undefined;
  const mention = bot.userId ? `<@${bot.userId}>` : undefined;
  const dm = event.channel_type === 'im';
  const threadId = event.thread_ts ?? (dm ? undefined : ts);
  return {
    channel: 'slack',
    accountId: bot.teamId || 'default',
    messageId: ts,
    chat: { id: channel, kind: dm ? 'dm' : 'group', ...(threadId ? { threadId } : {}) },
    sender: { id: user },
    text: (mention ? event.text.replaceAll(mention, '') : event.text).replace(/\s+/g, ' ').trim(),
    mentioned: event.type === 'app_mention' || (mention !== undefined && event.text.includes(mention)),
    receivedAt: now,
  };
}
