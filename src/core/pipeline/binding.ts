import { agentEntries, defaultAgentId } from '../agent/agents-config';
import { buildSessionKey } from '../agent/session-key';
import type { InboundMessage } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import type { Binding } from '../config/sections/bindings';

/** How much each matched field counts: a peer beats guild and account together, which beat the channel alone. */
const WEIGHT = { peer: 8, guildId: 2, accountId: 2 } as const;

/** How specific a binding's match is for this message; -1 when it does not match. */
export function bindingScore(binding: Binding, message: InboundMessage): number {
  const { match } = binding;
  if (match.channel !== message.channel) return -1;
  let score = 0;
  if (match.accountId !== undefined) {
    if (match.accountId !== message.accountId) return -1;
    score += WEIGHT.accountId;
  }
  if (match.guildId !== undefined) {
    if (match.guildId !== message.chat.guildId) return -1;
    score += WEIGHT.guildId;
  }
  if (match.peer !== undefined) {
    if (!peerMatches(match.peer, message)) return -1;
    score += WEIGHT.peer;
  }
  return score;
}

function peerMatches(peer: NonNullable<Binding['match']['peer']>, message: InboundMessage): boolean {
  if (typeof peer === 'string') return peer === message.chat.id || peer === message.sender.id;
  if (peer.kind === 'dm')
    return message.chat.kind === 'dm' && (peer.id === message.sender.id || peer.id === message.chat.id);
  if (peer.kind === 'group' || peer.kind === 'channel')
    return message.chat.kind === 'group' && peer.id === message.chat.id;
  return peer.id === message.chat.id || peer.id === message.sender.id;
}

/** The agent for a message: the most specific matching binding (the first of equals), else the default agent. */
export function resolveAgentFor(
  message: InboundMessage,
  config: KrabConfig,
): { agentId: string; binding?: Binding } {
  const known = new Set(agentEntries(config).map((entry) => entry.id));
  let best: { binding: Binding; score: number } | undefined;
  for (const binding of config.bindings ?? []) {
    if (!known.has(binding.agentId)) continue;
    const score = bindingScore(binding, message);
    if (score >= 0 && (!best || score > best.score)) best = { binding, score };
  }
  return best
    ? { agentId: best.binding.agentId, binding: best.binding }
    : { agentId: defaultAgentId(config) };
}

/**
 * The session of a message: a DM is one conversation per sender and bot account
 * (`agent:main:telegram:<account>:<sender>`); a group is one per chat and thread
 * (`agent:main:discord:<chat>:<thread|chat>`), shared by its members.
 */
export function sessionKeyFor(message: InboundMessage, agentId: string): string {
  return message.chat.kind === 'dm'
    ? buildSessionKey({
        agentId,
        channel: message.channel,
        accountOrChat: message.accountId,
        peer: message.sender.id,
      })
    : buildSessionKey({
        agentId,
        channel: message.channel,
        accountOrChat: message.chat.id,
        peer: message.chat.threadId ?? 'chat',
      });
}
