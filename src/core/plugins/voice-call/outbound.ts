import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { escapeXml } from '../../markup-escape';
import { type CallRecord, findCall, isFinalStatus, updateCall, withStatus } from './calls';
import { e164 } from './config';
import { newCall } from './new-call';
import { maskNumber, requireVoiceSettings } from './settings';
import { createTelnyxCall, telnyxCommand } from './telnyx-api';
import { createTwilioCall, endTwilioCall } from './twilio-api';
import { voiceWebhookUrl } from './webhook-url';

export interface PlaceCallRequest {
  to: string;
  /** What the agent says when the callee answers (the greeting when absent). */
  message?: string;
  agentId?: string;
}

/**
 * Places an outbound call through the configured provider's REST API and records it. With a
 * public URL (tunnel or `publicUrl`) the call becomes a conversation with the agent and its
 * status callbacks update the record; without one, Twilio reads the message and hangs up.
 */
export async function placeCall(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'events' | 'agents'>,
  request: PlaceCallRequest,
): Promise<CallRecord> {
  const settings = requireVoiceSettings(ctx);
  if (!e164.safeParse(request.to).success)
    throw new GatewayError(
      'INVALID_PARAMS',
      `expected an E.164 number like +15551234567, got ${JSON.stringify(request.to)}`,
    );
  const from = settings.fromNumber;
  if (!from)
    throw new GatewayError(
      'UNAVAILABLE',
      'set plugins.entries.voice-call.config.fromNumber (your number at the provider) to place calls',
    );
  const timeLimitSeconds = Math.round(settings.maxCallMs / 1000);
  let id: string;
  let status: CallRecord['status'] = 'queued';
  if (settings.provider === 'twilio') {
    const url = voiceWebhookUrl(ctx, '/voice/twilio/incoming');
    const spoken = request.message ?? settings.greeting;
    const created = await createTwilioCall(settings, {
      to: request.to,
      from,
      timeLimitSeconds,
      ...(url
        ? { url, statusCallback: voiceWebhookUrl(ctx, '/voice/twilio/status') }
        : {
            twiml: `<Response><Say${settings.voice ? ` voice="${escapeXml(settings.voice)}"` : ''}>${escapeXml(spoken)}</Say><Hangup/></Response>`,
          }),
    });
    id = created.sid;
    if (created.status === 'initiated' || created.status === 'ringing') status = created.status;
  } else {
    const webhookUrl = voiceWebhookUrl(ctx, '/voice/telnyx/events');
    id = (
      await createTelnyxCall(settings, {
        to: request.to,
        from,
        timeLimitSeconds,
        ...(webhookUrl ? { webhookUrl } : {}),
      })
    ).callControlId;
  }
  ctx.log.scope('voice').info(`calling ${maskNumber(request.to)} (${settings.provider} call ${id})`);
  const call = await updateCall(ctx, settings.provider, id, (current) =>
    current
      ? { ...current, message: request.message ?? current.message }
      : newCall(ctx, settings, id, 'outbound', from, request.to, status, undefined, {
          provider: settings.provider,
          ...(request.agentId ? { agentId: request.agentId } : {}),
          ...(request.message ? { message: request.message } : {}),
        }),
  );
  return call!;
}

/** Ends a call by its provider id. */
export async function hangupCall(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'events'>,
  id: string,
): Promise<CallRecord> {
  const settings = requireVoiceSettings(ctx);
  const call = await findCall(ctx, id);
  if (!call) throw new GatewayError('NOT_FOUND', `no call ${JSON.stringify(id)}`);
  if (isFinalStatus(call.status)) return call;
  if (call.provider === 'twilio') await endTwilioCall(settings, call.id, call.status === 'in-progress');
  else await telnyxCommand(settings, call.id, 'hangup');
  const ended = await updateCall(
    ctx,
    call.provider,
    call.id,
    (current) =>
      current && {
        ...withStatus(current, call.status === 'in-progress' ? 'completed' : 'canceled', ctx.clock.now()),
        endReason: current.endReason ?? 'hung up by the owner',
      },
  );
  ctx.log.scope('voice').info(`hung up call ${call.id}`);
  return ended ?? call;
}
