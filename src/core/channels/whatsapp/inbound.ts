import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { mediaCaps } from '../../media/settings';
import { assertPayloadShape } from '../payload-shape';
import { REENGAGEMENT_CODE } from './graph';
import { fetchWhatsAppMedia } from './media';
import { type ParsedWhatsAppWebhook, parseWhatsAppWebhook } from './normalize';
import type { WhatsAppWebhookBody } from './payload';
import { whatsappWebhookShape } from './payload-shape';
import { recordReports, sentText } from './records';
import { openGraph } from './session';
import { whatsappConfigOf } from './settings';

export interface WhatsAppAcceptResult {
  accepted: number;
  duplicates: number;
  statuses: number;
  reactions: number;
  ignored: number;
}

type InboundContext = Pick<
  GatewayContext,
  'env' | 'store' | 'logs' | 'log' | 'config' | 'clock' | 'pipeline'
>;

/**
 * One webhook body into the shared pipeline: messages (images and audio fetched first) are accepted in
 * order, each resolving once durable in the spool; only then may the caller answer 200.
 * Delivery statuses and reactions are recorded (and failures logged with Meta's reason).
 */
export async function acceptWhatsAppWebhook(
  ctx: InboundContext,
  body: WhatsAppWebhookBody,
): Promise<WhatsAppAcceptResult> {
  const log = ctx.log.scope('whatsapp');
  const parsed = parseWhatsAppWebhook(body, ctx.clock.now());
  const ours = whatsappConfigOf(ctx).phoneNumberId;
  // One app can serve several numbers: only this number's messages are answered here.
  const mine = parsed.messages.filter((item) => !ours || item.message.accountId === ours);
  const result: WhatsAppAcceptResult = {
    accepted: 0,
    duplicates: 0,
    statuses: parsed.statuses.length,
    reactions: parsed.reactions.length,
    ignored: parsed.ignored + parsed.messages.length - mine.length,
  };
  await report(ctx, parsed, log);
  // Opened at the first message with media, then shared by the rest of the body (one token lookup).
  let session: ReturnType<typeof openGraph> | undefined;
  for (const item of mine) {
    const replyTo = item.message.replyTo;
    if (replyTo && !replyTo.text) {
      const text = await sentText(ctx.store, replyTo.messageId);
      if (text) replyTo.text = text;
    }
    if (item.media.length > 0) {
      session ??= openGraph(ctx);
      await fetchWhatsAppMedia(item, await session, mediaCaps(ctx.config()));
    }
    const { duplicate } = await ctx.pipeline.accept(item.message);
    if (duplicate) result.duplicates++;
    else result.accepted++;
  }
  return result;
}

async function report(
  ctx: Pick<GatewayContext, 'store' | 'clock'>,
  parsed: ParsedWhatsAppWebhook,
  log: InboundContext['log'],
): Promise<void> {
  await recordReports(ctx.store, parsed.statuses, parsed.reactions, ctx.clock.now());
  for (const status of parsed.statuses) {
    if (status.status !== 'failed') continue;
    const to = status.recipient ? ` to +${status.recipient}` : '';
    const reason =
      status.error?.code === REENGAGEMENT_CODE
        ? 'more than 24 hours have passed since they last wrote (131047); only template messages go through until they write again'
        : `${status.error?.title ?? 'no reason given'}${status.error?.code !== undefined ? ` (${status.error.code})` : ''}`;
    log.error(`message ${status.messageId}${to} was not delivered: ${reason}`);
  }
  for (const reaction of parsed.reactions) {
    const target = await sentText(ctx.store, reaction.messageId);
    const who = reaction.name ?? `+${reaction.from}`;
    const what = target ? `"${target.slice(0, 60)}"` : `message ${reaction.messageId}`;
    log.info(
      reaction.emoji
        ? `${who} reacted ${reaction.emoji} to ${what}`
        : `${who} removed a reaction from ${what}`,
    );
  }
}

/** A webhook body must be a JSON object; Meta sends `object: "whatsapp_business_account"`. */
export function toWhatsAppWebhookBody(value: unknown): WhatsAppWebhookBody {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new GatewayError('BAD_REQUEST', 'expected a WhatsApp webhook object');
  const body = value as WhatsAppWebhookBody;
  if (body.object !== undefined && body.object !== 'whatsapp_business_account')
    throw new GatewayError(
      'BAD_REQUEST',
      `unexpected webhook object ${JSON.stringify(String(body.object)).slice(0, 60)}`,
    );
  if (body.entry !== undefined && !Array.isArray(body.entry))
    throw new GatewayError('BAD_REQUEST', 'expected entry to be an array');
  assertPayloadShape(whatsappWebhookShape, body, 'WhatsApp webhook');
  return body;
}
