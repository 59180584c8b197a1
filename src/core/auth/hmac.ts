import { bytesEqual } from './token';

const encoder = new TextEncoder();

/**
 * Whether `hex` is the HMAC-SHA256 of `data` with `secret`, compared in constant time: the check
 * behind the webhooks signed that way (WhatsApp's `X-Hub-Signature-256`, Slack's `X-Slack-Signature`).
 * `hex` must already be 64 hex digits; each caller says in its own words what a malformed header is.
 */
export async function hmacSha256Matches(secret: string, data: Uint8Array, hex: string): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, data as Uint8Array<ArrayBuffer>));
  const given = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < given.length; i++) given[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytesEqual(expected, given);
}
