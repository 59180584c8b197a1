import type { InboundMessage } from '../channels/types';
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
