import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { verifyTelnyxSignature } from '../../../../src/core/plugins/voice-call/telnyx-signature';
import {
  twilioSignature,
  verifyTwilioSignature,
} from '../../../../src/core/plugins/voice-call/twilio-signature';
import { createTelnyxSigner } from '../../../helpers/voice-webhooks';

const TOKEN = '12345678901234567890123456789012';
const URL_PUBLIC = 'https://abc123.ngrok-free.app/voice/twilio/gather?step=2';
const FIELDS = {
  CallSid: 'CA1234',
  From: '+15551230000',
  To: '+15559870000',
  SpeechResult: 'what is the weather like?',
  Confidence: '0.93',
};

describe('Twilio signatures (checked against the official twilio helper)', () => {
  it('computes the same signature as twilio.getExpectedTwilioSignature, for any form fields', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), {
          maxKeys: 8,
        }),
        async (fields) => {
          const params = new URLSearchParams(fields);
          const ours = await twilioSignature(TOKEN, URL_PUBLIC, params);
          expect(ours).toBe(twilio.getExpectedTwilioSignature(TOKEN, URL_PUBLIC, Object.fromEntries(params)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accepts what twilio signs and twilio.validateRequest accepts what we sign', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_PUBLIC, FIELDS);
    expect(
      await verifyTwilioSignature({
        authToken: TOKEN,
        signature,
        urls: [URL_PUBLIC],
        params: new URLSearchParams(FIELDS),
      }),
    ).toBe(true);
    expect(
      twilio.validateRequest(
        TOKEN,
        await twilioSignature(TOKEN, URL_PUBLIC, new URLSearchParams(FIELDS)),
        URL_PUBLIC,
        FIELDS,
      ),
    ).toBe(true);
  });

  it('signs repeated fields in sorted order like twilio does', async () => {
    const params = new URLSearchParams([
      ['StatusCallbackEvent', 'ringing'],
      ['StatusCallbackEvent', 'answered'],
      ['A', '1'],
    ]);
    const expected = twilio.getExpectedTwilioSignature(TOKEN, URL_PUBLIC, {
      StatusCallbackEvent: ['ringing', 'answered'],
      A: '1',
    });
    expect(await twilioSignature(TOKEN, URL_PUBLIC, params)).toBe(expected);
  });

  it('agrees with twilio.validateRequest on repeated fields with distinct values, any order, and counts each occurrence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.string({ minLength: 1, maxLength: 6 }),
        async (values, name) => {
          const pairs = values.map((value) => [name, value] as [string, string]);
          const ours = await twilioSignature(TOKEN, URL_PUBLIC, new URLSearchParams(pairs));
          expect(twilio.validateRequest(TOKEN, ours, URL_PUBLIC, { [name]: values })).toBe(true);
          const shuffled = new URLSearchParams([...pairs].reverse());
          expect(await twilioSignature(TOKEN, URL_PUBLIC, shuffled)).toBe(ours);
        },
      ),
      { numRuns: 60 },
    );
    // A field sent twice is not the request signed with it once (twilio-node's helper collapses
    // the two with a Set; a copy with a field added would then pass as the signed request).
    const once = await twilioSignature(TOKEN, URL_PUBLIC, new URLSearchParams([['Digits', '1']]));
    const twice = new URLSearchParams([
      ['Digits', '1'],
      ['Digits', '1'],
    ]);
    expect(
      await verifyTwilioSignature({ authToken: TOKEN, signature: once, urls: [URL_PUBLIC], params: twice }),
    ).toBe(false);
  });

  it('refuses a changed field, another URL, another token, a missing or malformed signature', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_PUBLIC, FIELDS);
    const params = new URLSearchParams(FIELDS);
    const check = (overrides: Partial<Parameters<typeof verifyTwilioSignature>[0]>) =>
      verifyTwilioSignature({ authToken: TOKEN, signature, urls: [URL_PUBLIC], params, ...overrides });
    expect(
      await check({ params: new URLSearchParams({ ...FIELDS, SpeechResult: 'transfer all my money' }) }),
    ).toBe(false);
    expect(await check({ params: new URLSearchParams({ ...FIELDS, Extra: 'x' }) })).toBe(false);
    expect(await check({ urls: ['http://127.0.0.1:3000/voice/twilio/gather?step=2'] })).toBe(false);
    expect(await check({ urls: [URL_PUBLIC.replace('step=2', 'step=3')] })).toBe(false);
    expect(await check({ authToken: 'another-token-000000000000000000' })).toBe(false);
    expect(await check({ authToken: '' })).toBe(false);
    expect(await check({ signature: '' })).toBe(false);
    expect(await check({ signature: 'not base64 at all!' })).toBe(false);
    expect(await check({ signature: Buffer.from('short').toString('base64') })).toBe(false);
  });

  it('accepts the URL with or without the default port, as twilio.validateRequest does', async () => {
    const withPort = 'https://abc123.ngrok-free.app:443/voice/twilio/incoming';
    const signature = twilio.getExpectedTwilioSignature(TOKEN, withPort, FIELDS);
    expect(
      await verifyTwilioSignature({
        authToken: TOKEN,
        signature,
        urls: ['https://abc123.ngrok-free.app/voice/twilio/incoming'],
        params: new URLSearchParams(FIELDS),
      }),
    ).toBe(true);
  });
});

describe('Telnyx signatures (a real Ed25519 key pair)', () => {
  const now = Date.UTC(2026, 4, 1, 12, 0, 0);
  const seconds = Math.floor(now / 1000);

  async function signed(timestamp = seconds, body = '{"data":{"id":"1"}}') {
    const signer = await createTelnyxSigner();
    const req = await signer.request('http://x/voice/telnyx/events', JSON.parse(body), timestamp);
    return {
      signer,
      input: {
        publicKey: signer.publicKey,
        signature: req.headers.get('telnyx-signature-ed25519'),
        timestamp: req.headers.get('telnyx-timestamp'),
        body: await req.text(),
        nowMs: now,
      },
    };
  }

  it('accepts a fresh, correctly signed webhook', async () => {
    const { input } = await signed();
    expect(await verifyTelnyxSignature(input)).toEqual({ ok: true });
  });

  it('refuses a webhook older or newer than 5 minutes (a replay), even when its signature is right', async () => {
    expect(await verifyTelnyxSignature((await signed(seconds - 301)).input)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(await verifyTelnyxSignature((await signed(seconds + 301)).input)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(await verifyTelnyxSignature((await signed(seconds - 299)).input)).toEqual({ ok: true });
  });

  it('refuses a changed body, a changed timestamp, another key, or missing headers', async () => {
    const { input } = await signed();
    expect(await verifyTelnyxSignature({ ...input, body: input.body.replace('"1"', '"2"') })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyTelnyxSignature({ ...input, timestamp: String(seconds - 1) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const other = await createTelnyxSigner();
    expect(await verifyTelnyxSignature({ ...input, publicKey: other.publicKey })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyTelnyxSignature({ ...input, signature: null })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await verifyTelnyxSignature({ ...input, timestamp: null })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await verifyTelnyxSignature({ ...input, signature: 'AAAA' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyTelnyxSignature({ ...input, publicKey: 'not-a-key' })).toEqual({
      ok: false,
      reason: 'bad-key',
    });
  });

  it('also takes the public key in SPKI (PEM) form', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', pair.publicKey)).toString('base64');
    const body = '{"data":{}}';
    const sig = await crypto.subtle.sign(
      { name: 'Ed25519' },
      pair.privateKey,
      new TextEncoder().encode(`${seconds}|${body}`),
    );
    const pem = `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----\n`;
    const input = {
      publicKey: pem,
      signature: Buffer.from(sig).toString('base64'),
      timestamp: String(seconds),
      body,
      nowMs: now,
    };
    expect(await verifyTelnyxSignature(input)).toEqual({ ok: true });
  });
});
