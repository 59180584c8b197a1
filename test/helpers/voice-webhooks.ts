import twilio from 'twilio';

/**
 * A Twilio webhook signed the way Twilio signs it, computed with the official `twilio` package:
 * `publicUrl` is what Twilio called (the tunnel's URL), `target` where the test sends it.
 */
export function twilioRequest(
  target: string,
  publicUrl: string,
  fields: Record<string, string>,
  authToken: string,
): Request {
  const signature = twilio.getExpectedTwilioSignature(authToken, publicUrl, fields);
  return new Request(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface TelnyxSigner {
  /** Base64 of the raw 32-byte public key, as the Telnyx portal shows it. */
  publicKey: string;
  request(target: string, event: unknown, timestampSeconds?: number): Promise<Request>;
}

/** A real Ed25519 key pair; requests signed over `timestamp|body` like Telnyx signs them. */
export async function createTelnyxSigner(): Promise<TelnyxSigner> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey: Buffer.from(raw).toString('base64'),
    async request(target, event, timestampSeconds = Math.floor(Date.now() / 1000)) {
      const body = JSON.stringify(event);
      const signature = await crypto.subtle.sign(
        { name: 'Ed25519' },
        pair.privateKey,
        new TextEncoder().encode(`${timestampSeconds}|${body}`),
      );
      return new Request(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'telnyx-signature-ed25519': Buffer.from(signature).toString('base64'),
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
