import type { GatewayContext } from '../../context';
import { parseSignalReceive, type SignalReceive } from './normalize';
import { signalRpc } from './rpc';

/** Images up to this size are passed to the model inline. */
export const MAX_INLINE_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export type SignalAcceptResult = 'accepted' | 'duplicate' | 'reaction' | 'ignored';

/**
 * One daemon `receive` event into the shared pipeline: images fetched through `getAttachment`,
 * then `pipeline.accept` (durable in the spool when it resolves). Reactions are logged.
 */
export async function acceptSignalEvent(
  ctx: Pick<GatewayContext, 'log' | 'clock' | 'pipeline'>,
  event: SignalReceive,
  options: { baseUrl: string; account?: string },
): Promise<SignalAcceptResult> {
  const parsed = parseSignalReceive(event, options.account, ctx.clock.now());
  if (parsed.kind === 'ignored') return 'ignored';
  if (parsed.kind === 'reaction') {
    const who = parsed.name ?? parsed.from;
    ctx.log
      .scope('signal')
      .info(
        parsed.removed
          ? `${who} removed the reaction ${parsed.emoji}`
          : `${who} reacted ${parsed.emoji} to a message sent at ${parsed.targetTimestamp ?? '?'}`,
      );
    return 'reaction';
  }
  const attachments = parsed.message.attachments ?? [];
  await Promise.all(
    parsed.attachments.map(async (ref) => {
      const attachment = attachments[ref.index];
      if (!attachment) return;
      if ((attachment.size ?? 0) > MAX_INLINE_ATTACHMENT_BYTES) {
        attachment.description = 'too large to pass to the model';
        return;
      }
      try {
        const result = await signalRpc<{ data?: string }>(options.baseUrl, 'getAttachment', {
          id: ref.id,
          ...(options.account ? { account: options.account } : {}),
        });
        if (!result?.data) throw new Error('no data');
        attachment.dataBase64 = result.data;
      } catch (error) {
        attachment.description = `could not be fetched from signal-cli: ${(error as Error).message}`;
      }
    }),
  );
  const { duplicate } = await ctx.pipeline.accept(parsed.message);
  return duplicate ? 'duplicate' : 'accepted';
}
