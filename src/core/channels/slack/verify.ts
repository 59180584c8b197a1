import { hmacSha256Matches } from '../../auth/hmac';
import { GatewayError } from '../../errors';

/** Requests older than this are refused, so a captured request cannot be replayed later. */
export const MAX_AGE_MS = 5 * 60 * 1000;

const encoder = new TextEncoder();

/**
 * Slack signs every request: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`
 * with the signing secret, `X-Slack-Request-Timestamp` in seconds. Fails closed without a secret;
 * a missing, malformed, stale (> 5 min) or wrong signature is a 401; the compare is constant-time.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
export async function verifySlackRequest(
  headers: Headers,
  rawBody: Uint8Array,
  signingSecret: string | undefined,
  now: number,
): Promise<void> {
  const signature = headers.get('x-slack-signature');
  const timestamp = headers.get('x-slack-request-timestamp');
  if (!signature || !timestamp)
    throw new GatewayError('UNAUTHORIZED', 'missing X-Slack-Signature or X-Slack-Request-Timestamp header');
  const given = /^v0=([0-9a-fA-F]{64})$/.exec(signature.trim())?.[1];
  if (!given || !/^\d{1,12}$/.test(timestamp))
    throw new GatewayError('UNAUTHORIZED', 'malformed X-Slack-Signature or X-Slack-Request-Timestamp header');
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_AGE_MS)
    throw new GatewayError('UNAUTHORIZED', 'stale X-Slack-Request-Timestamp (more than 5 minutes off)');
  if (!signingSecret) throw new GatewayError('UNAUTHORIZED', 'wrong X-Slack-Signature header');
  const prefix = encoder.encode(`v0:${timestamp}:`);
  const base = new Uint8Array(prefix.length + rawBody.length);
  base.set(prefix);
  base.set(rawBody, prefix.length);
  if (!(await hmacSha256Matches(signingSecret, base, given)))
    throw new GatewayError('UNAUTHORIZED', 'wrong X-Slack-Signature header');
}
