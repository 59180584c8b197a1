import type { ChannelAdapter, InboundMessage } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import type { PairingStore } from '../pairing/pairing-store';

export type PolicyDecision =
  | { action: 'allow' }
  | { action: 'drop'; reason: string }
  /** An unknown DM sender under `dmPolicy: pairing`: reply with this text (it carries the code). */
  | { action: 'pair'; reply: string };

/** Whether `allowFrom` names this sender (`*`, the id, the username with or without `@`). */
export function senderAllowed(message: InboundMessage, allowFrom: readonly string[]): boolean {
  const { id, username } = message.sender;
  const names = new Set([id, ...(username ? [username.toLowerCase(), `@${username.toLowerCase()}`] : [])]);
  return allowFrom.some((entry) => entry === '*' || names.has(entry) || names.has(entry.toLowerCase()));
}

/**
 * The shared policies: `dmPolicy` (+ `allowFrom` and approved pairings) for direct messages,
 * `groupPolicy` and the channel's `admitGroup` (allowlists, `requireMention`) for groups.
 */
export async function applyPolicy(
  message: InboundMessage,
  adapter: Pick<ChannelAdapter, 'policy' | 'admitGroup'>,
  config: KrabConfig,
  pairing: PairingStore,
): Promise<PolicyDecision> {
  const policy = adapter.policy(config);
  if (message.chat.kind === 'group') {
    if (policy.groupPolicy === 'disabled') return { action: 'drop', reason: 'groupPolicy is disabled' };
    const admit = adapter.admitGroup(message, config);
    if (!admit.allowed) return { action: 'drop', reason: 'group not allowed by groupPolicy' };
    if (admit.requireMention && !message.mentioned) return { action: 'drop', reason: 'not mentioned' };
    return { action: 'allow' };
  }
  switch (policy.dmPolicy) {
    case 'disabled':
      return { action: 'drop', reason: 'dmPolicy is disabled' };
    case 'open':
      return { action: 'allow' };
    default:
      break;
  }
  if (
    senderAllowed(message, policy.allowFrom) ||
    (await pairing.isApproved(message.channel, message.sender.id))
  )
    return { action: 'allow' };
  if (policy.dmPolicy === 'allowlist') return { action: 'drop', reason: 'sender not in allowFrom' };
  const { code, created } = await pairing.request({
    channel: message.channel,
    senderId: message.sender.id,
    ...(message.sender.name || message.sender.username
      ? { senderName: message.sender.name ?? message.sender.username }
      : {}),
    accountId: message.accountId,
    target: { channel: message.channel, accountId: message.accountId, chatId: message.chat.id },
  });
  // One reply per code: a stranger who keeps writing does not get an answer to every message.
  if (!created) return { action: 'drop', reason: `pairing code ${code} pending` };
  return {
    action: 'pair',
    reply:
      `Hi! I only talk to people my owner has approved. Your pairing code is ${code} (valid for 1 hour).\n` +
      `Ask the owner to run: krabkrab pairing approve ${message.channel} ${code}`,
  };
}
