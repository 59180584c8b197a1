import type { InboundMessage } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import type { SessionTrust } from './tools/types';

/** `"+15551234567"` and `"15551234567"` name the same phone number (WhatsApp ids carry no `+`). */
const normalize = (id: string) => id.replace(/^\+/, '');

/** Whether `owners` names this sender (`"<channel>:<senderId>"`, ids only: usernames can change hands). */
export function isOwner(config: KrabConfig, channel: string, senderId: string): boolean {
  const owners = config.owners;
  if (!owners?.length) return false;
  const id = normalize(senderId);
  return owners.some((entry) => {
    const colon = entry.indexOf(':');
    return entry.slice(0, colon) === channel && normalize(entry.slice(colon + 1)) === id;
  });
}

/**
 * The trust of a turn from a chat channel: an owner writing in a direct message. A group is a
 * guest session even when the owner writes there: its transcript holds everyone's words, and any
 * of them could steer an owner turn.
 */
export function messageTrust(config: KrabConfig, message: InboundMessage): SessionTrust {
  return message.chat.kind === 'dm' && isOwner(config, message.channel, message.sender.id)
    ? 'owner'
    : 'guest';
}
