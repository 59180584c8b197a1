import { hmacSha256Matches } from '../../auth/hmac';
import { tokensMatch } from '../../auth/token';
import { GatewayError } from '../../errors';

/** Meta signs each webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * Fails closed: without an app secret nothing is accepted; a missing, malformed or wrong
 * signature is a 401. The HMAC is computed over the raw bytes (before any JSON parsing) with
 * crypto.subtle and compared in constant time.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
 */
export async function verifyWhatsAppSignature(
  rawBody: Uint8Array,
  header: string | null,
  appSecret: string | undefined,
): Promise<void> {
  if (!header) throw new GatewayError('UNAUTHORIZED', `missing ${SIGNATURE_HEADER} header`);
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())?.[1];
  if (!given)
    throw new GatewayError('UNAUTHORIZED', `malformed ${SIGNATURE_HEADER} header (expected sha256=<64 hex>)`);
  if (!appSecret) throw new GatewayError('UNAUTHORIZED', `wrong ${SIGNATURE_HEADER} header`);
  if (!(await hmacSha256Matches(appSecret, rawBody, given)))
    throw new GatewayError('UNAUTHORIZED', `wrong ${SIGNATURE_HEADER} header`);
}

/**
 * The subscription handshake Meta makes when the webhook URL is saved:
 * `GET ?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<n>` must echo the challenge;
 * a wrong or missing token is a 403 (constant-time compare).
 */
export async function verifyWhatsAppHandshake(url: URL, verifyToken: string | undefined): Promise<string> {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token');
  const challenge = url.searchParams.get('hub.challenge');
  if (mode !== 'subscribe') throw new GatewayError('BAD_REQUEST', 'expected hub.mode=subscribe');
  if (!challenge) throw new GatewayError('BAD_REQUEST', 'missing hub.challenge');
  if (!token || !verifyToken || !(await tokensMatch(token, verifyToken))) {
    throw new GatewayError('FORBIDDEN', 'hub.verify_token does not match the configured verify token');
  }
  return challenge;
}
