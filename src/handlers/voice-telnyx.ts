import { GatewayError } from '../core/errors';
import { oncePerWebhook } from '../core/plugins/voice-call/replay';
import { voiceSettings } from '../core/plugins/voice-call/settings';
import { type TelnyxEvent, telnyxEvent } from '../core/plugins/voice-call/telnyx-event';
import { handleTelnyxEvent } from '../core/plugins/voice-call/telnyx-flow';
import { verifyTelnyxSignature } from '../core/plugins/voice-call/telnyx-signature';
import type { RouteHandler } from './types';

const REFUSALS = {
  'bad-signature': 'invalid telnyx-signature-ed25519',
  stale: 'telnyx-timestamp is outside the 5-minute window (a replayed webhook?)',
} as const;

/**
 * `POST /voice/telnyx/events`: verifies `telnyx-signature-ed25519` over `timestamp|body` (Ed25519,
 * 5-minute window) before anything else (missing → 401, wrong or stale → 403), answers 200 at
 * once and acts on the event through `waitUntil`. A repeated event id is acknowledged and ignored.
 */
export const handleTelnyxEvents: RouteHandler = async (req, ctx) => {
  const settings = voiceSettings(ctx);
  if (!settings) throw new GatewayError('NOT_FOUND', 'no such route');
  const signature = req.headers.get('telnyx-signature-ed25519');
  const timestamp = req.headers.get('telnyx-timestamp');
  if (!signature || !timestamp)
    throw new GatewayError('UNAUTHORIZED', 'missing telnyx-signature-ed25519 or telnyx-timestamp');
  const publicKey = settings.telnyx.publicKey;
  if (!publicKey)
    throw new GatewayError(
      'UNAVAILABLE',
      'TELNYX_PUBLIC_KEY is not set, so Telnyx webhooks cannot be verified',
    );
  const body = await req.text();
  const result = await verifyTelnyxSignature({
    publicKey,
    signature,
    timestamp,
    body,
    nowMs: ctx.clock.now(),
  });
  if (!result.ok) {
    if (result.reason === 'bad-key')
      throw new GatewayError('UNAVAILABLE', 'TELNYX_PUBLIC_KEY is not a base64 Ed25519 public key');
    const message = result.reason === 'missing' ? REFUSALS['bad-signature'] : REFUSALS[result.reason];
    ctx.log.scope('voice').warn(`refused a Telnyx webhook: ${message}`);
    throw new GatewayError('FORBIDDEN', message);
  }
  const event = parseEvent(body);
  const outcome = await oncePerWebhook(ctx, 'voice-telnyx', event.id, async () => {
    ctx.waitUntil(
      handleTelnyxEvent(ctx, settings, event).catch((error) =>
        ctx.log
          .scope('voice')
          .error(`Telnyx ${event.event_type} for ${event.payload.call_control_id} failed`, error),
      ),
    );
    return 'ok';
  });
  return Response.json({ ok: true, ...('repeat' in outcome && outcome.repeat ? { duplicate: true } : {}) });
};

function parseEvent(body: string): TelnyxEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayError('BAD_REQUEST', 'request body is not valid JSON');
  }
  const data = telnyxEvent.safeParse((json as { data?: unknown } | null)?.data);
  if (!data.success) {
    throw new GatewayError('BAD_REQUEST', 'expected a Telnyx event: {"data":{"id","event_type","payload"}}');
  }
  return data.data;
}
