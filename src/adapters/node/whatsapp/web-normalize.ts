import type { InboundAttachment, InboundMessage } from '../../../core/channels/types';
import { WHATSAPP_CHANNEL } from '../../../core/channels/whatsapp/normalize';

/**
 * The parts of a Baileys `WAMessage` (WhatsApp Web's protobuf, as JSON) the gateway reads.
 * Written out here so the mapping is typed without loading the library.
 */
export interface WebMessage {
  key?: {
    remoteJid?: string | null;
    remoteJidAlt?: string | null;
    fromMe?: boolean | null;
    id?: string | null;
    participant?: string | null;
    participantAlt?: string | null;
  };
  pushName?: string | null;
  messageTimestamp?: number | string | { low: number } | null;
  message?: WebContent | null;
}

interface ContextInfo {
  stanzaId?: string | null;
  participant?: string | null;
  quotedMessage?: WebContent | null;
  mentionedJid?: string[] | null;
  isForwarded?: boolean | null;
}

interface WebMedia {
  caption?: string | null;
  /** On `audioMessage`: recorded as a voice note (push to talk), and its length. */
  ptt?: boolean | null;
  seconds?: number | null;
  mimetype?: string | null;
  fileName?: string | null;
  fileLength?: number | string | null;
  contextInfo?: ContextInfo | null;
}

export interface WebContent {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null; contextInfo?: ContextInfo | null } | null;
  imageMessage?: WebMedia | null;
  documentMessage?: WebMedia | null;
  audioMessage?: WebMedia | null;
  videoMessage?: WebMedia | null;
  stickerMessage?: WebMedia | null;
  reactionMessage?: { key?: { id?: string | null } | null; text?: string | null } | null;
  ephemeralMessage?: { message?: WebContent | null } | null;
  viewOnceMessage?: { message?: WebContent | null } | null;
  viewOnceMessageV2?: { message?: WebContent | null } | null;
  protocolMessage?: unknown;
}

/** The linked account as Baileys reports it (`sock.user`). */
export interface WebIdentity {
  id: string;
  lid?: string;
}

export interface ParsedWebMessage {
  message: InboundMessage;
  /** The message carries an image to download (`attachments[0]`). */
  image: boolean;
}

const MEDIA = {
  imageMessage: 'image',
  documentMessage: 'file',
  audioMessage: 'audio',
  videoMessage: 'video',
  stickerMessage: 'image',
} as const;

/** `15551234567:12@s.whatsapp.net` -> `15551234567`; group and LID jids keep their user part. */
export function jidUser(jid: string | null | undefined): string {
  return (jid ?? '').split('@')[0]!.split(':')[0]!;
}

const isPhoneJid = (jid: string | null | undefined) => Boolean(jid?.endsWith('@s.whatsapp.net'));

/**
 * A WhatsApp Web message into the gateway's shape. Undefined for what is not answered: our own
 * messages, status broadcasts, protocol messages, reactions and empty content.
 */
export function parseWebMessage(
  raw: WebMessage,
  me: WebIdentity,
  receivedAt: number,
): ParsedWebMessage | undefined {
  const key = raw.key;
  const chatJid = key?.remoteJid;
  if (!key?.id || !chatJid || key.fromMe || chatJid === 'status@broadcast' || chatJid.endsWith('@newsletter'))
    return undefined;
  const content = unwrap(raw.message);
  if (!content || content.protocolMessage || content.reactionMessage) return undefined;
  const group = chatJid.endsWith('@g.us');
  // The sender by phone number when WhatsApp gives one (v7 may address chats by LID, with the number beside it).
  const senderJid = group ? pick(key.participantAlt, key.participant) : pick(key.remoteJidAlt, chatJid);
  const number = jidUser(senderJid);

  let text = content.conversation ?? content.extendedTextMessage?.text ?? '';
  let context = content.extendedTextMessage?.contextInfo ?? undefined;
  const attachments: InboundAttachment[] = [];
  let image = false;
  for (const [field, kind] of Object.entries(MEDIA) as Array<
    [keyof typeof MEDIA, InboundAttachment['kind']]
  >) {
    const media = content[field];
    if (!media) continue;
    if (media.caption) text = media.caption;
    context = media.contextInfo ?? context;
    const size = Number(media.fileLength ?? Number.NaN);
    attachments.push({
      kind,
      ...(media.mimetype ? { mimeType: media.mimetype.split(';')[0]!.trim() } : {}),
      ...(media.fileName ? { name: media.fileName } : {}),
      ...(Number.isFinite(size) ? { size } : {}),
      ...(media.seconds ? { durationSeconds: media.seconds } : {}),
      ...(field === 'audioMessage' && media.ptt && !media.contextInfo?.isForwarded ? { voice: true } : {}),
    });
    image = field === 'imageMessage';
    break;
  }
  if (!text && attachments.length === 0) return undefined;

  const ours = new Set([jidUser(me.id), ...(me.lid ? [jidUser(me.lid)] : [])]);
  const mentioned =
    !group ||
    (context?.mentionedJid ?? []).some((jid) => ours.has(jidUser(jid))) ||
    (Boolean(context?.participant) && ours.has(jidUser(context?.participant)));
  const quoted = context?.quotedMessage ? unwrap(context.quotedMessage) : undefined;
  const quotedText =
    quoted?.conversation ?? quoted?.extendedTextMessage?.text ?? quoted?.imageMessage?.caption ?? undefined;
  const message: InboundMessage = {
    channel: WHATSAPP_CHANNEL,
    accountId: jidUser(me.id),
    messageId: key.id,
    chat: { id: chatJid, kind: group ? 'group' : 'dm' },
    sender: {
      id: number,
      ...(isPhoneJid(senderJid) ? { username: `+${number}` } : {}),
      ...(raw.pushName ? { name: raw.pushName } : {}),
    },
    text,
    mentioned,
    ...(context?.stanzaId
      ? { replyTo: { messageId: context.stanzaId, ...(quotedText ? { text: quotedText } : {}) } }
      : {}),
    ...(attachments.length ? { attachments } : {}),
    receivedAt,
  };
  return { message, image };
}

function unwrap(content: WebContent | null | undefined): WebContent | undefined {
  let current = content ?? undefined;
  for (let depth = 0; current && depth < 3; depth++) {
    const inner =
      current.ephemeralMessage?.message ??
      current.viewOnceMessage?.message ??
      current.viewOnceMessageV2?.message;
    if (!inner) break;
    current = inner;
  }
  return current;
}

function pick(preferred: string | null | undefined, fallback: string | null | undefined): string | undefined {
  return isPhoneJid(preferred) ? preferred! : (fallback ?? preferred ?? undefined);
}
