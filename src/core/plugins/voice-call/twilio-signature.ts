import { base64ToBytes, bytesToBase64 } from '../../base64';

const encoder = new TextEncoder();

/**
 * The string Twilio signs: the full URL it requested, then each POST parameter's name and value
 * in name order (a repeated name once per occurrence, its values sorted), with no separators.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
 * Every occurrence counts: twilio-node's helper collapses identical repeated values (`new Set`),
 * which would let a copy with a field added twice pass as the signed request.
 */
export function twilioSigningString(url: string, params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  let data = url;
  for (const name of [...grouped.keys()].sort()) {
    for (const value of (grouped.get(name) as string[]).sort()) data += name + value;
  }
  return data;
}

async function hmacKey(authToken: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
    'verify',
  ]);
}

/** `X-Twilio-Signature` for a request: base64 HMAC-SHA1 keyed with the auth token. */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(authToken),
    encoder.encode(twilioSigningString(url, params)),
  );
  return bytesToBase64(new Uint8Array(mac));
}

export interface TwilioVerifyInput {
  authToken: string;
  signature: string;
  /** The public URLs (with query) the request may have been sent to: tunnel, configured base. */
  urls: string[];
  params: URLSearchParams;
}

/** True when the signature matches one of the candidate URLs (see `matchTwilioSignature`). */
export async function verifyTwilioSignature(input: TwilioVerifyInput): Promise<boolean> {
  return (await matchTwilioSignature(input)) !== undefined;
}

/**
 * The signed data (URL + sorted parameters) the signature matches, trying each candidate URL
 * also with and without the default port, as Twilio's own helpers do; undefined when none does.
 * It is the request's canonical form: every re-encoding of one signed request (parameters
 * reordered, characters percent-encoded differently) has the same, so replays are keyed on it.
 * The compare is `crypto.subtle.verify`, which is constant-time.
 */
export async function matchTwilioSignature(input: TwilioVerifyInput): Promise<string | undefined> {
  const given = base64ToBytes(input.signature);
  if (!input.authToken || !given || given.length !== 20) return undefined;
  const key = await hmacKey(input.authToken);
  const candidates = new Set(input.urls.flatMap((url) => [url, withoutPort(url), withDefaultPort(url)]));
  let matched: string | undefined;
  for (const url of candidates) {
    // Every candidate is checked, so the time taken does not tell which one matched.
    const data = twilioSigningString(url, input.params);
    const match = await crypto.subtle.verify('HMAC', key, given, encoder.encode(data));
    if (match) matched ??= data;
  }
  return matched;
}

function splitAuthority(
  url: string,
): { scheme: string; host: string; port: string; rest: string } | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#:]*)(:\d+)?(.*)$/i.exec(url);
  if (!match) return undefined;
  return { scheme: match[1]!, host: match[2]!, port: match[3] ?? '', rest: match[4] ?? '' };
}

function withoutPort(url: string): string {
  const parts = splitAuthority(url);
  return parts ? parts.scheme + parts.host + parts.rest : url;
}

function withDefaultPort(url: string): string {
  const parts = splitAuthority(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.host + port + parts.rest;
}
