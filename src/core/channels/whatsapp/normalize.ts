import type { InboundAttachment, InboundMessage } from '../types';
import type {
  WhatsAppChangeValue,
  WhatsAppWebhookBody,
  WhatsAppWireError,
  WhatsAppWireMessage,
} from './payload';

/** A media object the message carries, to be fetched by id (`attachments[index]` receives it). */
export interface WhatsAppMediaRef {
  index: number;
  mediaId: string;
}

export interface ParsedWhatsAppMessage {
  message: InboundMessage;
  media: WhatsAppMediaRef[];
}

/** A delivery report for a message the gateway sent (`sent`, `delivered`, `read`, `failed`). */
export interface WhatsAppStatusEvent {
  messageId: string;
  status: string;
  recipient?: string;
  at?: number;
  error?: { code?: number; title: string };
}

export interface WhatsAppReactionEvent {
  from: string;
  name?: string;
  /** The message reacted to. */
  messageId: string;
  /** Empty when a reaction was removed. */
  emoji: string;
}

export interface ParsedWhatsAppWebhook {
  messages: ParsedWhatsAppMessage[];
  statuses: WhatsAppStatusEvent[];
  reactions: WhatsAppReactionEvent[];
  /** Messages of kinds not answered (unsupported, system). */
  ignored: number;
}

export const WHATSAPP_CHANNEL = 'whatsapp';

const MEDIA_KINDS = {
  image: 'image',
  document: 'file',
  audio: 'audio',
  video: 'video',
  sticker: 'image',
} as const satisfies Record<string, InboundAttachment['kind']>;

/**
 * Turns one webhook body into messages for the pipeline, delivery statuses and reactions.
 * Images (for the model) and audio (for transcription) are fetched; other media are described.
 */
export function parseWhatsAppWebhook(body: WhatsAppWebhookBody, receivedAt: number): ParsedWhatsAppWebhook {
  const parsed: ParsedWhatsAppWebhook = { messages: [], statuses: [], reactions: [], ignored: 0 };
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages' || !change.value) continue;
      collect(change.value, receivedAt, parsed);
    }
  }
  return parsed;
}

function collect(value: WhatsAppChangeValue, receivedAt: number, out: ParsedWhatsAppWebhook): void {
  const accountId = value.metadata?.phone_number_id ?? 'default';
  const ourNumber = value.metadata?.display_phone_number?.replace(/\D/g, '');
  const names = new Map((value.contacts ?? []).map((c) => [c.wa_id ?? '', c.profile?.name]));
  for (const status of value.statuses ?? []) {
    if (!status.id || !status.status) continue;
    const error = status.errors?.[0];
    out.statuses.push({
      messageId: status.id,
      status: status.status,
      ...(status.recipient_id ? { recipient: status.recipient_id } : {}),
      ...(status.timestamp ? { at: Number(status.timestamp) * 1000 } : {}),
      ...(error
        ? { error: { ...(error.code !== undefined ? { code: error.code } : {}), title: errorTitle(error) } }
        : {}),
    });
  }
  for (const raw of value.messages ?? []) {
    if (!raw.from || !raw.id) {
      out.ignored++;
      continue;
    }
    const wire = raw as WhatsAppWireMessage & { from: string; id: string };
    const name = names.get(wire.from);
    if (wire.type === 'reaction') {
      if (wire.reaction?.message_id)
        out.reactions.push({
          from: wire.from,
          ...(name ? { name } : {}),
          messageId: wire.reaction.message_id,
          emoji: wire.reaction.emoji ?? '',
        });
      continue;
    }
    const message = toMessage(wire, accountId, ourNumber, name, receivedAt);
    if (message) out.messages.push(message);
    else out.ignored++;
  }
}

function toMessage(
  wire: WhatsAppWireMessage & { from: string; id: string },
  accountId: string,
  ourNumber: string | undefined,
  name: string | undefined,
  receivedAt: number,
): ParsedWhatsAppMessage | undefined {
  const attachments: InboundAttachment[] = [];
  const media: WhatsAppMediaRef[] = [];
  let text = wire.text?.body ?? '';
  const kind = wire.type && wire.type in MEDIA_KINDS ? (wire.type as keyof typeof MEDIA_KINDS) : undefined;
  if (kind) {
    const object = wire[kind];
    if (object?.caption) text = object.caption;
    const attachment: InboundAttachment = {
      kind: MEDIA_KINDS[kind],
      ...(object?.mime_type ? { mimeType: object.mime_type.split(';')[0]!.trim() } : {}),
      ...(object?.filename ? { name: object.filename } : {}),
      ...(kind === 'audio' && object?.voice === true && !wire.context?.forwarded ? { voice: true } : {}),
    };
    // Images go to the model and audio to transcription; a sticker is an animated webp more often
    // than not and is only described.
    if ((kind === 'image' || kind === 'audio') && object?.id)
      media.push({ index: attachments.length, mediaId: object.id });
    attachments.push(attachment);
  } else if (wire.type === 'button') text = wire.button?.text ?? '';
  else if (wire.type === 'interactive')
    text = wire.interactive?.button_reply?.title ?? wire.interactive?.list_reply?.title ?? '';
  else if (wire.type === 'location' && wire.location)
    text = `[location: ${[wire.location.name, wire.location.address, `${wire.location.latitude},${wire.location.longitude}`].filter(Boolean).join(', ')}]`;
  if (text === '' && attachments.length === 0) return undefined;

  const group = wire.group_id;
  const replyToOurs = Boolean(ourNumber && wire.context?.from?.replace(/\D/g, '') === ourNumber);
  const mentioned = !group || replyToOurs || Boolean(ourNumber && text.includes(`@${ourNumber}`));
  const message: InboundMessage = {
    channel: WHATSAPP_CHANNEL,
    accountId,
    messageId: wire.id,
    chat: { id: group ?? wire.from, kind: group ? 'group' : 'dm' },
    // `+<number>` as the username, so `allowFrom: ["+15551234567"]` matches as written.
    sender: { id: wire.from, username: `+${wire.from}`, ...(name ? { name } : {}) },
    text,
    mentioned,
    ...(wire.context?.id ? { replyTo: { messageId: wire.context.id } } : {}),
    ...(attachments.length ? { attachments } : {}),
    receivedAt,
  };
  return { message, media };
}

function errorTitle(error: WhatsAppWireError): string {
  return error.error_data?.details ?? error.message ?? error.title ?? 'unknown error';
}
