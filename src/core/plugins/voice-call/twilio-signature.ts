import { base64ToBytes, bytesToBase64 } from './base64';

const encoder = new TextEncoder();

/**
 * The string Twilio signs: the full URL it requested, then each POST parameter's name and value
 * in name order (repeated values sorted), with no separators.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
 */
export function twilioSigningString(url: string, params: URLSearchParams): string {
  const grouped = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    let values = grouped.get(name);
    if (!values) {
      values = new Set();
      grouped.set(name, values);
    }
    values.add(value);
  }
  let data = url;
  for (const name of [...grouped.keys()].sort()) {
    for (const value of [...grouped.get(name)!].sort()) data += name + value;
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

/**
 * True when the signature matches one of the candidate URLs (each also tried with and without
 * the default port, as Twilio's own helpers do). The compare is `crypto.subtle.verify`, which
 * is constant-time.
 */
export async function verifyTwilioSignature(input: TwilioVerifyInput): Promise<boolean> {
  const given = base64ToBytes(input.signature);
  if (!input.authToken || !given || given.length !== 20) return false;
  const key = await hmacKey(input.authToken);
  const candidates = new Set(input.urls.flatMap((url) => [url, withoutPort(url), withDefaultPort(url)]));
  let ok = false;
  for (const url of candidates) {
    // Every candidate is checked, so the time taken does not tell which one matched.
    const match = await crypto.subtle.verify(
      'HMAC',
      key,
      given,
      encoder.encode(twilioSigningString(url, input.params)),
    );
    ok = ok || match;
  }
  return ok;
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
