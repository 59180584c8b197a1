import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import type { ChannelRouteHandler } from '../channel-def';
import { acceptWhatsAppWebhook, toWhatsAppWebhookBody } from './inbound';
import { resolveAppSecret, resolveVerifyToken, whatsappCloudEnabled, whatsappConfigOf } from './settings';
import { SIGNATURE_HEADER, verifyWhatsAppHandshake, verifyWhatsAppSignature } from './verify';

/** Meta's webhook bodies are small; anything far larger is refused before it is hashed. */
const MAX_BODY_BYTES = 1024 * 1024;

function requireCloud(ctx: Pick<GatewayContext, 'config' | 'env'>): ReturnType<typeof whatsappConfigOf> {
  const config = whatsappConfigOf(ctx);
  if (!whatsappCloudEnabled(ctx.env, config)) throw new GatewayError('NOT_FOUND', 'no such route');
  return config;
}

/** `GET /whatsapp/webhook`: Meta's subscription handshake; echoes `hub.challenge` for the right verify token, 403 otherwise. */
export const handleWhatsAppHandshake: ChannelRouteHandler = async (req, ctx) => {
  const config = requireCloud(ctx);
  const challenge = await verifyWhatsAppHandshake(new URL(req.url), await resolveVerifyToken(ctx, config));
  ctx.log.scope('whatsapp').info('webhook verified by Meta (hub.challenge answered)');
  return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
};

/**
 * `POST /whatsapp/webhook`: checks `X-Hub-Signature-256` over the raw body (HMAC-SHA256 with the
 * app secret, constant-time, 401 when missing or wrong, fail-closed without a secret), then hands
 * messages to the pipeline and answers 200 only once they are durable in the spool. The agent run
 * and the reply happen after, through `waitUntil`. Web APIs only, so it serves Workers too.
 */
export const handleWhatsAppWebhook: ChannelRouteHandler = async (req, ctx) => {
  const config = requireCloud(ctx);
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new GatewayError('PAYLOAD_TOO_LARGE', 'webhook body too large');
  // The header is checked before the body is read: an unsigned request costs nothing.
  if (!req.headers.get(SIGNATURE_HEADER))
    throw new GatewayError('UNAUTHORIZED', `missing ${SIGNATURE_HEADER} header`);
  const raw = new Uint8Array(await req.arrayBuffer());
  if (raw.length > MAX_BODY_BYTES) throw new GatewayError('PAYLOAD_TOO_LARGE', 'webhook body too large');
  await verifyWhatsAppSignature(raw, req.headers.get(SIGNATURE_HEADER), await resolveAppSecret(ctx, config));
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new GatewayError('BAD_REQUEST', 'request body is not valid JSON');
  }
  const result = await acceptWhatsAppWebhook(ctx, toWhatsAppWebhookBody(value));
  return Response.json({ ok: true, ...result });
};
