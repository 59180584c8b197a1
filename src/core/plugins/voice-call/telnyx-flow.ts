import type { GatewayContext } from '../../context';
import { armCallLimit, disarmCallLimit, overLimit } from './call-limit';
import {
  type CallRecord,
  type CallStatus,
  type CallStoreContext,
  getCall,
  isFinalStatus,
  updateCall,
  withStatus,
} from './calls';
import {
  type CallFlowContext,
  dropTurn,
  finishTurn,
  startTurn,
  turnRunning,
  waitForReply,
} from './conversation';
import { newCall } from './new-call';
import { inboundDecision } from './policy';
import { maskNumber, type VoiceSettings } from './settings';
import { telnyxCommand, telnyxSpeech } from './telnyx-api';
import type { TelnyxEvent } from './telnyx-event';

const FILLER = 'One moment.';
const TIME_UP = 'We have reached the time limit for this call. Goodbye.';
const HANGUP_STATUS: Record<string, CallStatus> = {
  normal_clearing: 'completed',
  user_busy: 'busy',
  timeout: 'no-answer',
  call_rejected: 'rejected',
  originator_cancel: 'canceled',
};

type Handler = (
  ctx: CallFlowContext,
  settings: VoiceSettings,
  event: TelnyxEvent,
  id: string,
) => Promise<void>;

/** One handler per event type the gateway acts on; others are acknowledged and ignored. */
const HANDLERS: Record<string, Handler> = {
  'call.initiated': onInitiated,
  'call.answered': onAnswered,
  'call.transcription': onTranscription,
  'call.speak.ended': onSpeakEnded,
  'call.hangup': onHangup,
};

/** Acts on one verified, first-seen Telnyx event (the handler runs this after answering 200). */
export async function handleTelnyxEvent(
  ctx: CallFlowContext,
  settings: VoiceSettings,
  event: TelnyxEvent,
): Promise<void> {
  const id = event.payload?.call_control_id;
  // Own keys only: an event type like `hasOwnProperty` is unknown, not Object.prototype's method.
  const handler = Object.hasOwn(HANDLERS, event.event_type) ? HANDLERS[event.event_type] : undefined;
  if (!id || !handler) return;
  await handler(ctx, settings, event, id);
}

async function onInitiated(
  ctx: Pick<GatewayContext, 'store' | 'log' | 'clock' | 'events' | 'agents'>,
  settings: VoiceSettings,
  event: TelnyxEvent,
  id: string,
): Promise<void> {
  const log = ctx.log.scope('voice');
  const { from = '', to = '' } = event.payload;
  if (event.payload.direction !== 'incoming') {
    await updateCall(
      ctx,
      'telnyx',
      id,
      (current) => current && withStatus(current, 'initiated', ctx.clock.now()),
    );
    return;
  }
  const decision = inboundDecision(settings, from);
  if (!decision.allowed) {
    log.warn(`rejected call ${id} from ${maskNumber(from)}: ${decision.reason}`);
    await updateCall(ctx, 'telnyx', id, () =>
      newCall(ctx, settings, id, 'inbound', from, to, 'rejected', decision.reason, { provider: 'telnyx' }),
    );
    await telnyxCommand(settings, id, 'hangup');
    return;
  }
  log.info(`incoming call ${id} from ${maskNumber(from)}`);
  await updateCall(
    ctx,
    'telnyx',
    id,
    (current) =>
      current ??
      newCall(ctx, settings, id, 'inbound', from, to, 'ringing', undefined, { provider: 'telnyx' }),
  );
  await telnyxCommand(settings, id, 'answer');
}

async function onAnswered(
  ctx: Pick<GatewayContext, 'store' | 'log' | 'clock' | 'events' | 'waitUntil'>,
  settings: VoiceSettings,
  _event: TelnyxEvent,
  id: string,
): Promise<void> {
  const now = ctx.clock.now();
  const call = await updateCall(
    ctx,
    'telnyx',
    id,
    (current) => current && withStatus(current, 'in-progress', now),
  );
  if (!call || isFinalStatus(call.status)) return;
  armCallLimit(ctx, call, settings.maxCallMs, () => sayGoodbye(ctx, settings, id, TIME_UP, 'max-duration'));
  const opening = call.direction === 'outbound' ? (call.message ?? settings.greeting) : settings.greeting;
  await updateCall(
    ctx,
    'telnyx',
    id,
    (current) =>
      current && {
        ...current,
        transcript: [...current.transcript, { role: 'agent', text: opening, at: now }],
      },
  );
  // Only the caller's leg is transcribed, so the agent never hears itself.
  await telnyxCommand(settings, id, 'transcription_start', {
    language: settings.language.split('-')[0],
    transcription_tracks: 'inbound',
  });
  await telnyxCommand(settings, id, 'speak', telnyxSpeech(settings, opening));
}

/**
 * A final transcript is one caller turn. The webhook was already answered; a slow agent gets
 * a spoken filler after `replyWaitSeconds`, then its answer is spoken when it comes.
 */
async function onTranscription(
  ctx: CallFlowContext,
  settings: VoiceSettings,
  event: TelnyxEvent,
  id: string,
): Promise<void> {
  const data = event.payload.transcription_data;
  const said = data?.transcript?.trim();
  if (!data?.is_final || !said) return;
  const call = await getCall(ctx, 'telnyx', id);
  if (!call || isFinalStatus(call.status) || turnRunning(ctx, call)) return;
  if (overLimit(call, settings.maxCallMs, ctx.clock.now()))
    return sayGoodbye(ctx, settings, id, TIME_UP, 'max-duration');
  startTurn(ctx, call, said);
  let reply = await waitForReply(ctx, call, settings.replyWaitMs);
  if (!reply.done) {
    await telnyxCommand(settings, id, 'speak', telnyxSpeech(settings, FILLER));
    // The turn itself is bounded by the agent's own timeout; this only stops waiting for it forever.
    reply = await waitForReply(ctx, call, 10 * 60_000);
  }
  await finishTurn(ctx, 'telnyx', id);
  const current = await getCall(ctx, 'telnyx', id);
  if (!reply.done || !current || isFinalStatus(current.status)) return;
  await telnyxCommand(settings, id, 'speak', telnyxSpeech(settings, reply.text));
}

async function onSpeakEnded(
  ctx: Pick<GatewayContext, 'store'>,
  settings: VoiceSettings,
  _event: TelnyxEvent,
  id: string,
): Promise<void> {
  const call = await getCall(ctx, 'telnyx', id);
  if (call?.hangupAfterSpeak && !isFinalStatus(call.status)) await telnyxCommand(settings, id, 'hangup');
}

async function onHangup(
  ctx: CallStoreContext & Pick<GatewayContext, 'log'>,
  _settings: VoiceSettings,
  event: TelnyxEvent,
  id: string,
): Promise<void> {
  const cause = event.payload.hangup_cause ?? '';
  const status = (Object.hasOwn(HANGUP_STATUS, cause) ? HANGUP_STATUS[cause] : undefined) ?? 'completed';
  const now = ctx.clock.now();
  const call = await updateCall(ctx, 'telnyx', id, (current) => {
    if (!current) return null;
    const next = withStatus(
      current,
      status === 'completed' && !current.answeredAt && current.direction === 'outbound'
        ? 'no-answer'
        : status,
      now,
    );
    return {
      ...next,
      durationSeconds: next.answeredAt ? Math.round((now - next.answeredAt) / 1000) : 0,
      ...(event.payload.hangup_cause ? { endReason: next.endReason ?? event.payload.hangup_cause } : {}),
    };
  });
  if (!call) return;
  disarmCallLimit(ctx, call);
  dropTurn(ctx, 'telnyx', id);
  ctx.log.scope('voice').info(`call ${id} ${call.status} after ${call.durationSeconds ?? 0} s`);
}

async function sayGoodbye(
  ctx: CallStoreContext,
  settings: VoiceSettings,
  id: string,
  text: string,
  reason: string,
): Promise<void> {
  const call: CallRecord | null = await updateCall(
    ctx,
    'telnyx',
    id,
    (current) => current && { ...current, hangupAfterSpeak: true, endReason: current.endReason ?? reason },
  );
  if (!call || isFinalStatus(call.status)) return;
  await telnyxCommand(settings, id, 'speak', telnyxSpeech(settings, text));
}
