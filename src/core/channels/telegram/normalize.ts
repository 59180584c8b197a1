import type { Message, MessageEntity, Update } from 'grammy/types';
import { formatBytes } from '../../media/format';
import type { InboundAttachment, InboundMessage } from '../types';

/** The bot as `getMe` describes it: enough to tell whether a group message addresses it. */
export interface TelegramBotIdentity {
  id: number;
  username: string;
  firstName?: string;
}

/** A file the message carries that may be fetched with `getFile` (`attachments[index]` receives it). */
export interface TelegramFileRef {
  index: number;
  fileId: string;
  size?: number;
}

export interface ParsedTelegramUpdate {
  message: InboundMessage;
  files: TelegramFileRef[];
}

export const TELEGRAM_ACCOUNT = 'default';

/**
 * Turns a Bot API `Update` into the gateway's message shape. Returns undefined for what the
 * gateway does not answer: other update kinds, channel posts, service messages, messages from
 * bots, and commands addressed to another bot (`/start@other_bot`).
 */
export function parseTelegramUpdate(
  update: Update,
  bot: TelegramBotIdentity,
  receivedAt: number,
): ParsedTelegramUpdate | undefined {
  // Channel posts arrive as `channel_post`, edits as `edited_message`: neither is answered.
  const msg = update.message;
  if (!msg?.from || msg.from.is_bot) return undefined;
  const dm = msg.chat.type === 'private';
  const rawText = msg.text ?? msg.caption ?? '';
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const command = commandTarget(rawText, entities);
  if (command?.bot && command.bot.toLowerCase() !== bot.username.toLowerCase()) return undefined;

  const { attachments, files } = describeMedia(msg);
  if (rawText === '' && attachments.length === 0) return undefined;

  const name = [msg.from.first_name, msg.from.last_name].filter(Boolean).join(' ');
  const message: InboundMessage = {
    channel: 'telegram',
    accountId: TELEGRAM_ACCOUNT,
    messageId: String(msg.message_id),
    chat: {
      id: String(msg.chat.id),
      kind: dm ? 'dm' : 'group',
      ...(msg.is_topic_message && msg.message_thread_id !== undefined
        ? { threadId: String(msg.message_thread_id) }
        : {}),
      ...('title' in msg.chat && msg.chat.title ? { name: msg.chat.title } : {}),
    },
    sender: {
      id: String(msg.from.id),
      ...(name ? { name } : {}),
      ...(msg.from.username ? { username: msg.from.username } : {}),
    },
    // `/status@krab_bot` is the command `/status` for us.
    text: command?.bot
      ? rawText.slice(0, command.end) + rawText.slice(command.end + command.bot.length + 1)
      : rawText,
    mentioned: dm || addressesBot(msg, rawText, entities, bot, Boolean(command?.bot)),
    receivedAt,
  };
  const reply = repliedMessage(msg);
  if (reply) message.replyTo = reply;
  if (attachments.length > 0) message.attachments = attachments;
  return { message, files };
}

/** The bot command that starts the text, and the bot it names (`/cmd@bot`), if any. */
function commandTarget(text: string, entities: MessageEntity[]): { end: number; bot?: string } | undefined {
  const entity = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return undefined;
  const token = text.slice(0, entity.length);
  const at = token.indexOf('@');
  return at < 0 ? { end: token.length } : { end: at, bot: token.slice(at + 1) };
}

/** @mention of the bot, a text_mention of its user, a reply to it, or `/command@bot`. */
function addressesBot(
  msg: Message,
  text: string,
  entities: MessageEntity[],
  bot: TelegramBotIdentity,
  namedCommand: boolean,
): boolean {
  if (namedCommand) return true;
  if (msg.reply_to_message?.from?.id === bot.id) return true;
  const handle = `@${bot.username}`.toLowerCase();
  return entities.some((e) => {
    if (e.type === 'text_mention') return e.user.id === bot.id;
    if (e.type !== 'mention') return false;
    // Entity offsets count UTF-16 code units, the same unit as JS string indices.
    return text.slice(e.offset, e.offset + e.length).toLowerCase() === handle;
  });
}

function repliedMessage(msg: Message): InboundMessage['replyTo'] {
  const replied = msg.reply_to_message;
  // In forums every message "replies" to the topic's creation message; that is not a reply.
  if (!replied || replied.forum_topic_created) return undefined;
  const text = replied.text ?? replied.caption;
  return { messageId: String(replied.message_id), ...(text ? { text } : {}) };
}

/** The largest photo Telegram offers, documents, and a description of what is not passed on. */
function describeMedia(msg: Message): { attachments: InboundAttachment[]; files: TelegramFileRef[] } {
  const attachments: InboundAttachment[] = [];
  const files: TelegramFileRef[] = [];
  const add = (attachment: InboundAttachment, fileId?: string) => {
    if (fileId)
      files.push({
        index: attachments.length,
        fileId,
        ...(attachment.size ? { size: attachment.size } : {}),
      });
    attachments.push(attachment);
  };
  if (msg.photo && msg.photo.length > 0) {
    const photo = msg.photo.reduce((best, size) =>
      size.width * size.height > best.width * best.height ? size : best,
    );
    add(
      { kind: 'image', mimeType: 'image/jpeg', ...(photo.file_size ? { size: photo.file_size } : {}) },
      photo.file_id,
    );
  }
  if (msg.document) {
    const doc = msg.document;
    const image = doc.mime_type?.startsWith('image/') ?? false;
    add(
      {
        kind: image ? 'image' : 'file',
        ...(doc.mime_type ? { mimeType: doc.mime_type } : {}),
        ...(doc.file_name ? { name: doc.file_name } : {}),
        ...(doc.file_size ? { size: doc.file_size } : {}),
        ...(image
          ? {}
          : { description: describeFile('document', doc.file_name, doc.file_size, doc.mime_type) }),
      },
      image ? doc.file_id : undefined,
    );
  }
  // Voice notes and audio files are fetched for transcription (when the pipeline's caps allow).
  for (const [label, audio] of [
    ['voice message', msg.voice],
    ['audio file', msg.audio],
  ] as const) {
    if (!audio) continue;
    const name = 'file_name' in audio ? audio.file_name : undefined;
    add(
      {
        kind: 'audio',
        ...(audio.mime_type ? { mimeType: audio.mime_type } : {}),
        ...(name ? { name } : {}),
        ...(audio.file_size ? { size: audio.file_size } : {}),
        ...(audio.duration ? { durationSeconds: audio.duration } : {}),
        // A forwarded voice note is someone else speaking: content, not the sender's words.
        ...(audio === msg.voice && !msg.forward_origin ? { voice: true } : {}),
        description: describeFile(label, name, audio.file_size, audio.mime_type),
      },
      audio.file_id,
    );
  }
  const other: Array<
    [InboundAttachment['kind'], string, { file_size?: number; mime_type?: string } | undefined]
  > = [
    ['video', 'video', msg.video],
    ['video', 'video note', msg.video_note],
    ['image', 'sticker', msg.sticker],
  ];
  for (const [kind, label, media] of other) {
    if (!media) continue;
    add({
      kind,
      ...(media.mime_type ? { mimeType: media.mime_type } : {}),
      ...(media.file_size ? { size: media.file_size } : {}),
      description: describeFile(label, undefined, media.file_size, media.mime_type),
    });
  }
  return { attachments, files };
}

/** "document report.pdf (1.2 MB, application/pdf) was sent; it is not passed to the model". */
export function describeFile(label: string, name?: string, size?: number, mimeType?: string): string {
  const facts = [size ? formatBytes(size) : undefined, mimeType].filter(Boolean).join(', ');
  return `[${label}${name ? ` ${name}` : ''}${facts ? ` (${facts})` : ''} was sent; its content is not passed to the model]`;
}
