import type { InboundAttachment, InboundMessage } from '../types';

export const SIGNAL_CHANNEL = 'signal';
/** Group chats are `group:<base64 group id>`, so a reply target tells a group from a person. */
export const GROUP_PREFIX = 'group:';

/** What `signal-cli daemon` sends as an SSE `receive` event (the JSON-RPC `receive` notification's params). */
export interface SignalReceive {
  account?: string;
  envelope?: SignalEnvelope;
  exception?: { message?: string };
}

export interface SignalEnvelope {
  source?: string;
  sourceNumber?: string | null;
  sourceUuid?: string | null;
  sourceName?: string | null;
  timestamp?: number;
  dataMessage?: SignalDataMessage | null;
  syncMessage?: unknown;
  typingMessage?: unknown;
  receiptMessage?: unknown;
}

export interface SignalDataMessage {
  timestamp?: number;
  message?: string | null;
  groupInfo?: { groupId?: string; groupName?: string; type?: string } | null;
  quote?: {
    id?: number;
    author?: string;
    authorNumber?: string;
    authorUuid?: string;
    text?: string | null;
  } | null;
  mentions?: Array<{
    number?: string | null;
    uuid?: string | null;
    name?: string;
    start?: number;
    length?: number;
  }> | null;
  attachments?: Array<{ id?: string; contentType?: string; filename?: string | null; size?: number }> | null;
  reaction?: {
    emoji?: string;
    targetAuthor?: string;
    targetSentTimestamp?: number;
    isRemove?: boolean;
  } | null;
}

export interface SignalAttachmentRef {
  index: number;
  id: string;
}

export type ParsedSignalEvent =
  | { kind: 'message'; message: InboundMessage; attachments: SignalAttachmentRef[] }
  | {
      kind: 'reaction';
      from: string;
      name?: string;
      emoji: string;
      removed: boolean;
      targetTimestamp?: number;
    }
  | { kind: 'ignored' };

const KIND_OF = (mime: string | undefined): InboundAttachment['kind'] =>
  mime?.startsWith('image/')
    ? 'image'
    : mime?.startsWith('audio/')
      ? 'audio'
      : mime?.startsWith('video/')
        ? 'video'
        : 'file';

/**
 * A daemon `receive` event into the gateway's shape. Only data messages with text or
 * attachments are answered; receipts, typing, sync messages (our own other devices) and
 * messages from the account itself are ignored; reactions are reported apart.
 */
export function parseSignalReceive(
  event: SignalReceive,
  account: string | undefined,
  receivedAt: number,
): ParsedSignalEvent {
  const envelope = event.envelope;
  const data = envelope?.dataMessage;
  const sender = envelope?.sourceNumber ?? envelope?.sourceUuid ?? envelope?.source ?? undefined;
  if (!envelope || !data || !sender || (account && sender === account)) return { kind: 'ignored' };
  const name = envelope.sourceName ?? undefined;
  if (data.reaction?.emoji) {
    return {
      kind: 'reaction',
      from: sender,
      ...(name ? { name } : {}),
      emoji: data.reaction.emoji,
      removed: Boolean(data.reaction.isRemove),
      ...(data.reaction.targetSentTimestamp ? { targetTimestamp: data.reaction.targetSentTimestamp } : {}),
    };
  }
  const attachments: InboundAttachment[] = [];
  const refs: SignalAttachmentRef[] = [];
  for (const item of data.attachments ?? []) {
    const kind = KIND_OF(item.contentType);
    if ((kind === 'image' || kind === 'audio') && item.id)
      refs.push({ index: attachments.length, id: item.id });
    attachments.push({
      kind,
      ...(item.contentType ? { mimeType: item.contentType } : {}),
      ...(item.filename ? { name: item.filename } : {}),
      ...(item.size !== undefined ? { size: item.size } : {}),
      // signal-cli does not pass the voice-note flag on; Signal's apps send voice notes without a
      // file name, and shared audio files with one.
      ...(kind === 'audio' && !item.filename ? { voice: true } : {}),
    });
  }
  const text = data.message ?? '';
  if (text === '' && attachments.length === 0) return { kind: 'ignored' };
  const timestamp = data.timestamp ?? envelope.timestamp ?? receivedAt;
  const groupId = data.groupInfo?.groupId;
  const mentioned =
    !groupId ||
    Boolean(account && (data.mentions ?? []).some((mention) => mention.number === account)) ||
    Boolean(account && (data.quote?.authorNumber === account || data.quote?.author === account));
  const message: InboundMessage = {
    channel: SIGNAL_CHANNEL,
    accountId: account ?? 'default',
    // Timestamps are unique per sender, not per group: the sender makes the id unique.
    messageId: `${timestamp}-${sender}`,
    chat: {
      id: groupId ? `${GROUP_PREFIX}${groupId}` : sender,
      kind: groupId ? 'group' : 'dm',
      ...(data.groupInfo?.groupName ? { name: data.groupInfo.groupName } : {}),
    },
    sender: {
      id: sender,
      ...(envelope.sourceNumber && envelope.sourceUuid && sender !== envelope.sourceUuid
        ? { username: envelope.sourceUuid }
        : {}),
      ...(name ? { name } : {}),
    },
    text: replaceMentions(text, data.mentions ?? []),
    mentioned,
    ...(data.quote?.id
      ? {
          replyTo: {
            messageId: String(data.quote.id),
            ...(data.quote.text ? { text: data.quote.text } : {}),
          },
        }
      : {}),
    ...(attachments.length ? { attachments } : {}),
    receivedAt,
  };
  return { kind: 'message', message, attachments: refs };
}

/** Signal puts U+FFFC where a mention stands; the model reads `@name` instead. */
function replaceMentions(text: string, mentions: NonNullable<SignalDataMessage['mentions']>): string {
  if (!text.includes('\uFFFC')) return text;
  let index = 0;
  return text.replace(/\uFFFC/g, () => {
    const mention = mentions[index++];
    return `@${mention?.name ?? mention?.number ?? mention?.uuid ?? 'someone'}`;
  });
}
