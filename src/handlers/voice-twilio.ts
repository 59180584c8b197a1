import type { GatewayContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { oncePerWebhook } from '../core/plugins/voice-call/replay';
import { type VoiceSettings, voiceSettings } from '../core/plugins/voice-call/settings';
import { twilioGather, twilioIncoming, twilioStatus } from '../core/plugins/voice-call/twilio-flow';
import { matchTwilioSignature } from '../core/plugins/voice-call/twilio-signature';
import { twiml, twimlResponse } from '../core/plugins/voice-call/twiml';
import { signedUrlCandidates } from '../core/plugins/voice-call/webhook-url';
import type { RouteHandler } from './types';

/** What verifying reads: the voice settings (config, env) and the tunnel's URLs (config, store). */
type VerifyContext = Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'events'>;

interface VerifiedTwilio {
  settings: VoiceSettings;
  params: URLSearchParams;
  identity: string;
}

/**
 * Verifies `X-Twilio-Signature` before anything else: HMAC-SHA1 with the auth token over the
 * public URL Twilio called (the tunnel's or `publicUrl`, not the gateway's internal one) and the
 * sorted form parameters. Missing → 401, wrong → 403; nothing else happens in either case. A
 * request is done once per signed data (status callbacks included).
 */
async function verifyTwilio(req: Request, ctx: VerifyContext): Promise<VerifiedTwilio> {
  const settings = voiceSettings(ctx);
  if (!settings) throw new GatewayError('NOT_FOUND', 'no such route');
  const signature = req.headers.get('x-twilio-signature');
  if (!signature) throw new GatewayError('UNAUTHORIZED', 'missing X-Twilio-Signature');
  const authToken = settings.twilio.authToken;
  if (!authToken)
    throw new GatewayError(
      'UNAVAILABLE',
      'TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified',
    );
  const body = await req.text();
  const params = new URLSearchParams(body);
  const urls = signedUrlCandidates(ctx, req);
  const signed = await matchTwilioSignature({ authToken, signature, urls, params });
  if (signed === undefined) {
    ctx.log
      .scope('voice')
      .warn(`refused a Twilio webhook to ${new URL(req.url).pathname}: bad signature for ${urls[0]}`);
    throw new GatewayError('FORBIDDEN', 'invalid X-Twilio-Signature');
  }
  // Keyed on the signed data, not the bytes: a re-encoded copy of the same request is a replay.
  return { settings, params, identity: signed };
}

/** Runs a verified request once; a repeat gets the first TwiML again. */
async function respondOnce(
  ctx: Pick<GatewayContext, 'store' | 'clock' | 'log'>,
  verified: VerifiedTwilio,
  work: () => Promise<string>,
): Promise<Response> {
  const result = await oncePerWebhook(ctx, 'voice-twilio', verified.identity, work);
  if ('inFlight' in result) throw new GatewayError('CONFLICT', 'this webhook is already being handled');
  if (result.repeat)
    ctx.log.scope('voice').warn('a Twilio webhook arrived again; answered as the first time, nothing done');
  return twimlResponse(result.body);
}

/** `POST /voice/twilio/incoming`: greets an allowed caller (or `<Reject/>`s one not allowed). */
export const handleTwilioIncoming: RouteHandler = async (req, ctx) => {
  const verified = await verifyTwilio(req, ctx);
  return respondOnce(ctx, verified, () => twilioIncoming(ctx, verified.settings, verified.params));
};

/** `POST /voice/twilio/gather`: one turn of the conversation. */
export const handleTwilioGather: RouteHandler = async (req, ctx) => {
  const verified = await verifyTwilio(req, ctx);
  const query = new URL(req.url).searchParams;
  return respondOnce(ctx, verified, () => twilioGather(ctx, verified.settings, verified.params, query));
};

/** `POST /voice/twilio/status`: call status callbacks. */
export const handleTwilioStatus: RouteHandler = async (req, ctx) => {
  const verified = await verifyTwilio(req, ctx);
  return respondOnce(ctx, verified, async () => {
    await twilioStatus(ctx, verified.params);
    return twiml();
  });
};
