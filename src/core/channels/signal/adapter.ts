import type { KrabConfig } from '../../config/schema';
import type { GatewayContext } from '../../context';
import type { GatewayError } from '../../errors';
import { chunkText } from '../../pipeline/chunk-text';
import { admitFromGroupTable } from '../group-table';
import { sendError } from '../send-error';
import type { ChannelAdapter, InboundMessage, ReplyTarget } from '../types';
import { GROUP_PREFIX, SIGNAL_CHANNEL } from './normalize';
import { signalRpc } from './rpc';
import { signalConfigOf } from './settings';

/** Signal has no hard text limit like Telegram's; long texts arrive as an attachment, so replies are cut at 4000. */
export const SIGNAL_TEXT_LIMIT = 4000;

/** The `recipient` or `groupId` part of a `send` / `sendTyping` call for a reply target. */
export function signalTargetParams(chatId: string): Record<string, unknown> {
  return chatId.startsWith(GROUP_PREFIX)
    ? { groupId: chatId.slice(GROUP_PREFIX.length) }
    : { recipient: [chatId] };
}

/**
 * The Signal side of the shared pipeline: policies from `channels.signal`, replies and typing
 * through the daemon's JSON-RPC (`send`, `sendTyping`). `baseUrl()` is the daemon in use (an
 * auto-started one has a port chosen at start).
 */
export function createSignalAdapter(
  ctx: Pick<GatewayContext, 'config'>,
  baseUrl: () => string,
): ChannelAdapter {
  const account = () => signalConfigOf(ctx).account;
  const params = (target: ReplyTarget) => ({
    ...(account() ? { account: account() } : {}),
    ...signalTargetParams(target.chatId),
  });
  return {
    id: SIGNAL_CHANNEL,
    textLimit: SIGNAL_TEXT_LIMIT,
    policy(config) {
      const signal = config.channels?.signal ?? {};
      return {
        dmPolicy: signal.dmPolicy ?? 'pairing',
        allowFrom: signal.allowFrom ?? [],
        groupPolicy: signal.groupPolicy ?? 'allowlist',
      };
    },
    admitGroup: admitSignalGroup,
    async send(target, text) {
      for (const chunk of text.length > SIGNAL_TEXT_LIMIT ? chunkText(text, SIGNAL_TEXT_LIMIT) : [text]) {
        const result = await signalRpc<SignalSendResult>(baseUrl(), 'send', {
          ...params(target),
          message: chunk,
        }).catch((error) => {
          throw toSignalSendError(error);
        });
        const failure = undeliveredError(result);
        if (failure) throw failure;
      }
    },
    async typing(target) {
      await signalRpc(baseUrl(), 'sendTyping', params(target), 5_000);
    },
  };
}

/**
 * `groupPolicy` (default `allowlist`): `open` answers every group but those with `allow: false`,
 * `allowlist` only groups with `allow: true` (`groups."*"` covers all), keyed by the base64 group
 * id. `requireMention` (default true) comes from the group, then `groups."*"`, then the channel.
 */
export function admitSignalGroup(message: InboundMessage, config: KrabConfig) {
  const id = message.chat.id.startsWith(GROUP_PREFIX)
    ? message.chat.id.slice(GROUP_PREFIX.length)
    : message.chat.id;
  return admitFromGroupTable(config.channels?.signal ?? {}, id);
}

/**
 * A failed send as the pipeline reads it: signal-cli refusing a recipient that is not on Signal or
 * a group the account left fails the same way every time; a daemon that is down, slow or
 * rate-limited is retried.
 */
export function toSignalSendError(error: unknown): GatewayError {
  const said = error instanceof Error ? error.message : String(error);
  // signal-cli says "The user <number> is not registered." for a number that is not on Signal.
  const permanent = /unregistered|not registered|not a member|invalid group|group not found/i.test(said);
  return sendError('signal', said, { retryable: !permanent, cause: error });
}

/** What signal-cli's `send` answers: one result per recipient (per member for a group). */
export interface SignalSendResult {
  timestamp?: number;
  results?: Array<{ type?: string; retryAfterSeconds?: number }>;
}

/** Failures that sending the same message again will not cure (the owner must act first). */
const FINAL_RESULTS = new Set(['UNREGISTERED_FAILURE', 'IDENTITY_FAILURE']);

/**
 * A `send` that reached nobody is not an RPC error: signal-cli answers it with results whose
 * `type` is a failure (NETWORK_FAILURE, RATE_LIMIT_FAILURE, UNREGISTERED_FAILURE, ...). It fails
 * for good when every failure is final, else it is retried (after `retryAfterSeconds` when given).
 * Reaching one recipient is enough: a group member who left does not fail the reply.
 */
export function undeliveredError(result: SignalSendResult | undefined): GatewayError | undefined {
  const results = result?.results ?? [];
  if (results.length === 0 || results.some((r) => r.type === undefined || r.type === 'SUCCESS'))
    return undefined;
  const types = [...new Set(results.map((r) => r.type))];
  const retryable = !results.every((r) => FINAL_RESULTS.has(r.type ?? ''));
  const waitS = Math.max(0, ...results.map((r) => r.retryAfterSeconds ?? 0));
  return sendError('signal', `the message reached no recipient (${types.join(', ')})`, {
    retryable,
    ...(retryable && waitS > 0 ? { retryAfterMs: waitS * 1000 } : {}),
  });
}
