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
import { endTwilioCall } from './twilio-api';
import { gatherSpeech, hangup, pause, redirect, reject, say, twiml } from './twiml';

export const GATHER_PATH = '/voice/twilio/gather';
export const GOODBYE = 'Goodbye.';
const TIME_UP = 'We have reached the time limit for this call. Goodbye.';
const FILLER = 'One moment.';
const STILL_THERE = 'Are you still there?';
/** Silent gathers in a row before the call is ended. */
const MAX_SILENCES = 3;
/** Filler rounds (each up to `replyWaitSeconds`) before giving up on one answer. */
const MAX_WAIT_ROUNDS = 6;

const STATUSES: Record<string, CallStatus> = {
  queued: 'queued',
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'in-progress',
  answered: 'in-progress',
  completed: 'completed',
  busy: 'busy',
  failed: 'failed',
  'no-answer': 'no-answer',
  canceled: 'canceled',
};

/** The next gather: speaks `prompt`, listens, and posts to a fresh step URL. */
async function listen(
  ctx: CallStoreContext,
  settings: VoiceSettings,
  call: CallRecord,
  prompt: string | undefined,
): Promise<string> {
  const next = await updateCall(
    ctx,
    'twilio',
    call.id,
    (current) => current && { ...current, step: current.step + 1 },
  );
  const speech = { voice: settings.voice, language: settings.language };
  return twiml(gatherSpeech(`${GATHER_PATH}?step=${next?.step ?? call.step + 1}`, prompt, speech));
}

async function goodbye(
  ctx: CallStoreContext,
  settings: VoiceSettings,
  call: CallRecord,
  text: string,
  reason: string,
): Promise<string> {
  disarmCallLimit(ctx, call);
  dropTurn(ctx, 'twilio', call.id);
  await updateCall(
    ctx,
    'twilio',
    call.id,
    (current) => current && { ...current, endReason: current.endReason ?? reason },
  );
  return twiml(say(text, { voice: settings.voice, language: settings.language }), hangup());
}

/** `POST /voice/twilio/incoming`: a call starts (inbound from a caller, or our outbound one answered). */
export async function twilioIncoming(
  ctx: CallFlowContext,
  settings: VoiceSettings,
  params: URLSearchParams,
): Promise<string> {
  const log = ctx.log.scope('voice');
  const callSid = params.get('CallSid') ?? '';
  const from = params.get('From') ?? '';
  const to = params.get('To') ?? '';
  const outbound = (params.get('Direction') ?? '').startsWith('outbound');
  const now = ctx.clock.now();

  if (!outbound) {
    const decision = inboundDecision(settings, from);
    if (!decision.allowed) {
      log.warn(`rejected call ${callSid} from ${maskNumber(from)}: ${decision.reason}`);
      await updateCall(ctx, 'twilio', callSid, () =>
        newCall(ctx, settings, callSid, 'inbound', from, to, 'rejected', decision.reason),
      );
      return twiml(reject());
    }
    log.info(`incoming call ${callSid} from ${maskNumber(from)}`);
  }
  const call = await updateCall(ctx, 'twilio', callSid, (current) =>
    withStatus(
      current ?? newCall(ctx, settings, callSid, outbound ? 'outbound' : 'inbound', from, to, 'in-progress'),
      'in-progress',
      now,
    ),
  );
  if (!call || isFinalStatus(call.status)) return twiml(hangup());
  armCallLimit(ctx, call, settings.maxCallMs, () => endTwilioCall(settings, call.id, true));
  const opening = call.direction === 'outbound' ? (call.message ?? settings.greeting) : settings.greeting;
  await updateCall(
    ctx,
    'twilio',
    call.id,
    (current) =>
      current && {
        ...current,
        transcript: [...current.transcript, { role: 'agent', text: opening, at: now }],
      },
  );
  return listen(ctx, settings, call, opening);
}

/**
 * `POST /voice/twilio/gather`: what the caller said (or silence), and the redirects while the
 * agent is still thinking. A slow agent never meets Twilio's 15 s webhook timeout: after
 * `replyWaitSeconds` the caller hears a filler and Twilio comes back through a redirect.
 */
export async function twilioGather(
  ctx: CallFlowContext,
  settings: VoiceSettings,
  params: URLSearchParams,
  query: URLSearchParams,
): Promise<string> {
  const callSid = params.get('CallSid') ?? '';
  const speech = { voice: settings.voice, language: settings.language };
  const call = await getCall(ctx, 'twilio', callSid);
  if (!call || isFinalStatus(call.status)) return twiml(say('Sorry, this call has ended.', speech), hangup());
  if (overLimit(call, settings.maxCallMs, ctx.clock.now()))
    return goodbye(ctx, settings, call, TIME_UP, 'max-duration');

  const round = Number(query.get('wait') ?? 0) || 0;
  if (round === 0) {
    const said = (params.get('SpeechResult') ?? '').trim();
    if (!said) {
      const silences = call.silences + 1;
      await updateCall(ctx, 'twilio', call.id, (current) => current && { ...current, silences });
      if (silences >= MAX_SILENCES) return goodbye(ctx, settings, call, GOODBYE, 'silence');
      return listen(ctx, settings, call, STILL_THERE);
    }
    if (turnRunning(ctx, call)) return answerOrBridge(ctx, settings, call, 1);
    await updateCall(ctx, 'twilio', call.id, (current) => current && { ...current, silences: 0 });
    startTurn(ctx, call, said);
  }
  return answerOrBridge(ctx, settings, call, round);
}

async function answerOrBridge(
  ctx: CallStoreContext,
  settings: VoiceSettings,
  call: CallRecord,
  round: number,
): Promise<string> {
  const speech = { voice: settings.voice, language: settings.language };
  const reply = await waitForReply(ctx, call, settings.replyWaitMs);
  if (reply.done) {
    await finishTurn(ctx, 'twilio', call.id);
    return listen(ctx, settings, call, reply.text);
  }
  if (round >= MAX_WAIT_ROUNDS) {
    await finishTurn(ctx, 'twilio', call.id);
    return listen(ctx, settings, call, 'Sorry, that is taking too long. Could you ask again?');
  }
  const step = call.step;
  // Each redirect URL is new (`wait=<n>`), so Twilio's signed requests never repeat.
  return twiml(
    ...(round === 0 ? [say(FILLER, speech)] : []),
    pause(1),
    redirect(`${GATHER_PATH}?step=${step}&wait=${round + 1}`),
  );
}

/** `POST /voice/twilio/status`: status callbacks update the call record. */
export async function twilioStatus(
  ctx: CallStoreContext & Pick<GatewayContext, 'log'>,
  params: URLSearchParams,
): Promise<void> {
  const callSid = params.get('CallSid') ?? '';
  const name = params.get('CallStatus') ?? '';
  // Own keys only: `constructor` is no call status (it would wipe the record's status).
  const status = Object.hasOwn(STATUSES, name) ? STATUSES[name] : undefined;
  if (!callSid || !status) return;
  const duration = Number(params.get('CallDuration'));
  const call = await updateCall(ctx, 'twilio', callSid, (current) => {
    if (!current) return null;
    const next = withStatus(current, status, ctx.clock.now());
    return Number.isFinite(duration) && params.has('CallDuration')
      ? { ...next, durationSeconds: duration }
      : next;
  });
  if (!call) return;
  if (isFinalStatus(call.status)) {
    disarmCallLimit(ctx, call);
    dropTurn(ctx, 'twilio', call.id);
    ctx.log
      .scope('voice')
      .info(
        `call ${call.id} ${call.status}${call.durationSeconds !== undefined ? ` after ${call.durationSeconds} s` : ''}`,
      );
  }
}
