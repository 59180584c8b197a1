import type { ReplyTarget } from '../channels/types';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { chunkText } from '../pipeline/chunk-text';
import type { CronDeliver } from './config';

/** The account a delivery goes through when the job names none (the channel's only or first bot). */
export const DEFAULT_ACCOUNT = 'default';

export function toReplyTarget(deliver: CronDeliver): ReplyTarget {
  return {
    channel: deliver.channel,
    accountId: deliver.accountId ?? DEFAULT_ACCOUNT,
    chatId: deliver.to,
    ...(deliver.threadId ? { threadId: deliver.threadId } : {}),
  };
}

export function fromReplyTarget(target: ReplyTarget): CronDeliver {
  return {
    channel: target.channel,
    to: target.chatId,
    ...(target.accountId && target.accountId !== DEFAULT_ACCOUNT ? { accountId: target.accountId } : {}),
    ...(target.threadId ? { threadId: target.threadId } : {}),
  };
}

/**
 * Sends a job's text through the channel's normal send path, split to the channel's limit.
 * Returns the number of messages sent; throws when the channel is not running.
 */
export async function deliverText(
  ctx: Pick<GatewayContext, 'channels'>,
  deliver: CronDeliver,
  text: string,
): Promise<number> {
  const adapter = ctx.channels.get(deliver.channel);
  if (!adapter)
    throw new GatewayError(
      'UNAVAILABLE',
      `channel ${JSON.stringify(deliver.channel)} is not running, so the reply cannot be delivered`,
    );
  const target = toReplyTarget(deliver);
  const chunks = chunkText(text, Math.max(20, adapter.textLimit));
  for (const chunk of chunks) await adapter.send(target, chunk);
  return chunks.length;
}
