import { wrapUntrusted } from '../agent/untrusted';
import type { InboundAttachment, InboundMessage } from '../channels/types';
import { formatDuration } from '../media/format';
import type { ContentPart } from '../providers/types';

/** Inbound text past this is cut (with a note): one pasted novel must not fill the context. */
export const MAX_INBOUND_CHARS = 32_000;

/**
 * What the agent sees of a message: the text (in groups prefixed with the sender's name, so
 * the model can tell members apart), the quoted message it replies to, and its attachments
 * (images inline when the channel downloaded them, others described).
 */
export function toAgentContent(message: InboundMessage): string | ContentPart[] {
  let text =
    message.text.length > MAX_INBOUND_CHARS
      ? `${message.text.slice(0, MAX_INBOUND_CHARS)}\n[message cut: ${message.text.length} characters]`
      : message.text;
  if (message.replyTo?.text) text = `(replying to: "${message.replyTo.text.slice(0, 500)}")\n${text}`;
  if (message.chat.kind === 'group')
    text = `[${message.sender.name ?? message.sender.username ?? message.sender.id}]: ${text}`;
  const images: ContentPart[] = [];
  const notes: string[] = [];
  for (const attachment of message.attachments ?? []) {
    if (attachment.kind === 'image' && attachment.dataBase64 && attachment.mimeType) {
      images.push({ type: 'image', mimeType: attachment.mimeType, dataBase64: attachment.dataBase64 });
    } else if (attachment.transcript !== undefined) {
      notes.push(transcriptNote(attachment, attachment.transcript));
    } else {
      const facts = [
        attachment.name,
        attachment.mimeType,
        attachment.size !== undefined ? `${attachment.size} bytes` : undefined,
      ].filter(Boolean);
      notes.push(
        `[${attachment.kind} attached${facts.length ? `: ${facts.join(', ')}` : ''}${attachment.description ? ` (${attachment.description})` : ''}]`,
      );
    }
  }
  if (notes.length) text = `${text}\n${notes.join('\n')}`.trim();
  return images.length ? [{ type: 'text', text }, ...images] : text;
}

/**
 * A voice note the sender recorded is their message, spoken: marked as a transcript, with the
 * sender's own trust. Any other audio (an attached or forwarded file, a song, a recording of
 * someone else) is content, not the sender's words: its transcript is untrusted content.
 */
function transcriptNote(attachment: InboundAttachment, transcript: string): string {
  const length = attachment.durationSeconds ? `, ${formatDuration(attachment.durationSeconds)}` : '';
  if (attachment.voice) return `[voice note, transcribed${length}]: ${transcript}`;
  const name = attachment.name ? ` ${attachment.name}` : '';
  return `[audio file${name} attached${length}; its transcript:]\n${wrapUntrusted(`transcript of audio file${name}`, transcript)}`;
}
