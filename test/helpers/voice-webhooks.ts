import twilio from 'twilio';
import { TWILIO_SID } from '../fakes/twilio-rest';
import { createEd25519Keys } from './ed25519';

/** Twilio's params as the official helper expects them (repeated names as arrays). */
function paramsOf(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of new URLSearchParams(body)) {
    const current = out[name];
    out[name] = current === undefined ? v : Array.isArray(current) ? [...current, v] : [current, v];
  }
  return out;
}

/**
 * The X-Twilio-Signature for a form body POSTed to `url`, computed with the official `twilio`
 * package (HMAC-SHA1 of the URL and the sorted fields, keyed with the auth token).
 */
export function twilioSignature(authToken: string, url: string, body: string): string {
  return twilio.getExpectedTwilioSignature(authToken, url, paramsOf(body));
}

/** The fields Twilio posts about a call of the fake account (voice URL and status callbacks), plus `extra`. */
export function twilioCall(
  callSid: string,
  from: string,
  to: string,
  direction: 'inbound' | 'outbound-api' = 'inbound',
  extra: Record<string, string> = {},
): Record<string, string> {
  return { AccountSid: TWILIO_SID, CallSid: callSid, From: from, To: to, Direction: direction, ...extra };
}

/**
 * A Twilio webhook signed the way Twilio signs it: `publicUrl` is what Twilio called (the
 * tunnel's URL), `target` where the test sends it.
 */
export function twilioRequest(
  target: string,
  publicUrl: string,
  fields: Record<string, string>,
  authToken: string,
): Request {
  const body = new URLSearchParams(fields).toString();
  return new Request(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, publicUrl, body),
    },
    body,
  });
}

export interface TelnyxSigner {
  /** Base64 of the raw 32-byte public key, as the Telnyx portal shows it. */
  publicKey: string;
  /** The `telnyx-signature-ed25519` value for a body: base64 Ed25519 over `timestamp|body`. */
  sign(timestamp: string, body: string): Promise<string>;
  /** An independent check: is `signature` (raw bytes) this key's signature over `timestamp|body`? */
  verify(signature: Uint8Array<ArrayBuffer>, timestamp: string, body: string): Promise<boolean>;
  request(target: string, event: unknown, timestampSeconds?: number): Promise<Request>;
}

/** A real Ed25519 key pair; requests signed over `timestamp|body` like Telnyx signs them. */
export async function createTelnyxSigner(): Promise<TelnyxSigner> {
  const keys = await createEd25519Keys();
  const sign = async (timestamp: string, body: string) =>
    (await keys.sign(`${timestamp}|${body}`)).toString('base64');
  return {
    publicKey: keys.publicKey.toString('base64'),
    sign,
    verify: (signature, timestamp, body) => keys.verify(signature, `${timestamp}|${body}`),
    async request(target, event, timestampSeconds = Math.floor(Date.now() / 1000)) {
      const body = JSON.stringify(event);
      return new Request(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'telnyx-signature-ed25519': await sign(String(timestampSeconds), body),
          'telnyx-timestamp': String(timestampSeconds),
        },
        body,
      });
    },
  };
}

let seq = 0;
/** A Call Control event as Telnyx posts it. */
export function telnyxEvent(
  eventType: string,
  payload: Record<string, unknown>,
): { data: Record<string, unknown>; meta: Record<string, unknown> } {
  return {
    data: {
      record_type: 'event',
      event_type: eventType,
      id: `evt-${++seq}-${Math.random().toString(36).slice(2)}`,
      occurred_at: new Date().toISOString(),
      payload,
    },
    meta: { attempt: 1, delivered_to: 'https://example.com/voice/telnyx/events' },
  };
}
