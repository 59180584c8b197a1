import { parseChatCommand } from '../agent/commands';
import { messageTrust } from '../agent/trust';
import type { RunTurnOptions } from '../agent/types';
import type { ChannelAdapter, InboundMessage, ReplyTarget } from '../channels/types';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { transcribeInbound } from '../media/transcribe-inbound';
import type { PairingStore } from '../pairing/pairing-store';
import { resolveSecret } from '../secrets';
import { resolveAgentFor, sessionKeyFor } from './binding';
import { toAgentContent } from './message-content';
import { applyPolicy } from './policy';

/** What to answer a message with, decided once for every entry (the pipeline, Discord's `/ask`). */
export type ReplyDecision =
  | { action: 'drop'; reason: string }
  /** An unknown DM sender under `dmPolicy: pairing`: the reply carries the pairing code. */
  | { action: 'pair'; text: string }
  /** The agent's answer, or (`error`) "Sorry, I could not answer: <why>" when the turn failed. */
  | { action: 'answer' | 'error'; text: string; agentId: string; sessionKey: string };

export interface DecideOptions {
  pairing: PairingStore;
  /** Where the answer goes (the turn's origin for tools that reply later). */
  origin: ReplyTarget;
  /** Names the turn for good (the spool key), so a replayed message does not run twice. */
  turnId?: string;
  /** What the agent is given, when not the message as the pipeline frames it (`/ask`: the prompt alone). */
  content?: string;
  /** Called once the message is allowed, just before the agent runs (typing indicators). */
  onTurnStart?: () => void;
  /** The agent run's events as they come (reply previews). */
  onEvent?: RunTurnOptions['onEvent'];
}

/**
 * The decision step every entry shares: the channel's policies (dmPolicy, allowlists, pairing,
 * groups and mentions), then the binding (which agent, which session), then one agent turn with
 * the sender's trust; a failed turn becomes "Sorry, I could not answer: <reason>" (no secret
 * ever in it). `channel` only needs its policies, not a running channel.
 */
export async function decideReply(
  ctx: Pick<GatewayContext, 'config' | 'agents' | 'log' | 'env' | 'store'>,
  message: InboundMessage,
  channel: Pick<ChannelAdapter, 'policy' | 'admitGroup'>,
  options: DecideOptions,
): Promise<ReplyDecision> {
  const config = ctx.config();
  const decision = await applyPolicy(message, channel, config, options.pairing);
  if (decision.action === 'drop') return { action: 'drop', reason: decision.reason };
  if (decision.action === 'pair') return { action: 'pair', text: decision.reply };
  const { agentId } = resolveAgentFor(message, config);
  const sessionKey = sessionKeyFor(message, agentId);
  options.onTurnStart?.();
  const command = options.content === undefined && parseChatCommand(message.text) !== undefined;
  // Audio becomes text only now, once the sender is let in: a stranger's voice note costs nothing.
  const heard =
    options.content === undefined && !command
      ? await transcribeInbound(message, {
          config,
          env: ctx.env,
          log: ctx.log,
          stored: (name) => resolveSecret(ctx, name),
        })
      : { message };
  if (heard.notice) return { action: 'answer', text: heard.notice, agentId, sessionKey };
  try {
    const content = options.content ?? (command ? message.text : toAgentContent(heard.message));
    const trust = messageTrust(config, message);
    const result = await ctx.agents.runTurn({
      agentId,
      sessionKey,
      message: content,
      origin: options.origin,
      // An owner turn from a chat is the owner's DM: exec approvals may be asked right there.
      ...(trust === 'owner' ? { approvalChat: options.origin } : {}),
      ...(options.turnId ? { turnId: options.turnId } : {}),
      trust,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    return { action: 'answer', text: result.text, agentId, sessionKey };
  } catch (error) {
    const reason = error instanceof GatewayError ? error.message : 'internal error';
    ctx.log
      .scope('agent')
      .error(`turn failed in ${sessionKey}: ${reason}`, error instanceof GatewayError ? undefined : error);
    return { action: 'error', text: `Sorry, I could not answer: ${reason}`, agentId, sessionKey };
  }
}
