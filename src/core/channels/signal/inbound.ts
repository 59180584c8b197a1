import { base64ByteLength } from '../../base64';
import type { GatewayContext } from '../../context';
import { downloadCap, mediaCaps } from '../../media/settings';
import { parseSignalReceive, type SignalReceive } from './normalize';
import { signalRpc } from './rpc';

export type SignalAcceptResult = 'accepted' | 'duplicate' | 'reaction' | 'ignored';

/**
 * One daemon `receive` event into the shared pipeline: images (and audio, for transcription)
 * fetched through `getAttachment`,
 * then `pipeline.accept` (durable in the spool when it resolves). Reactions are logged.
 */
export async function acceptSignalEvent(
  ctx: Pick<GatewayContext, 'log' | 'clock' | 'pipeline' | 'config'>,
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
  const caps = mediaCaps(ctx.config());
  await Promise.all(
    parsed.attachments.map(async (ref) => {
      const attachment = attachments[ref.index];
      if (!attachment) return;
      // Images for the model; audio for transcription, when it is on and within its caps.
      const max = downloadCap(caps, attachment);
      if (max === undefined) return;
      if ((attachment.size ?? 0) > max) {
        attachment.description = 'too large to pass to the model';
        return;
      }
      try {
        const result = await signalRpc<{ data?: string }>(options.baseUrl, 'getAttachment', {
          id: ref.id,
          ...(options.account ? { account: options.account } : {}),
        });
        if (typeof result?.data !== 'string') throw new Error('no data');
        const size = base64ByteLength(result.data);
        if (size > max) throw new Error(`the file is ${size} bytes`);
        attachment.dataBase64 = result.data;
      } catch (error) {
        attachment.description = `could not be fetched from signal-cli: ${(error as Error).message}`;
      }
    }),
  );
  const { duplicate } = await ctx.pipeline.accept(parsed.message);
  return duplicate ? 'duplicate' : 'accepted';
}
