import { bytesEqual } from './token';

const encoder = new TextEncoder();
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Whether `hex` is the HMAC-SHA256 of `data` with `secret`, compared in constant time: the check
 * behind the webhooks signed that way (WhatsApp's `X-Hub-Signature-256`, Slack's `X-Slack-Signature`).
 * Anything but exactly 64 hex digits is refused here too (fails closed: parseInt would read `zz` as
 * a zero byte and ignore a 65th digit); each caller still says in its own words what a malformed
 * header is.
 */
export async function hmacSha256Matches(secret: string, data: Uint8Array, hex: string): Promise<boolean> {
  if (!SHA256_HEX.test(hex)) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, data as Uint8Array<ArrayBuffer>));
  const given = new Uint8Array(32);
  for (let i = 0; i < given.length; i++) given[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytesEqual(expected, given);
}
