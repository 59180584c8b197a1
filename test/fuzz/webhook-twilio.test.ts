// Fuzz: the Twilio voice webhooks (/voice/twilio/incoming, /gather, /status) through the hono
// app, 1–3 requests per case on one gateway (a call, then its turns and status). Form fields
// random and mutated; X-Twilio-Signature valid for the public URL, for the internal URL, with
// another token, over other fields, mutated, missing. A request is genuine when the official
// `twilio` package computes the same signature for the public URL and the fields as parsed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTwilio, TWILIO_SID, TWILIO_TOKEN } from '../fakes/twilio-rest';
import { createScriptedRouter } from '../helpers/scripted-router';
import { createVoiceContext, twilioVoice, VOICE } from '../helpers/voice-context';
import { twilioSignature as sign, twilioCall } from '../helpers/voice-webhooks';
import { junkText, mutatedString } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { checkWebhook, expectKnownCallStatuses, setSendable, type WebhookWorld } from './webhook-harness';

const { owner: OWNER, number: OUR_NUMBER, publicUrl: PUBLIC } = VOICE;
const INTERNAL = 'http://127.0.0.1:3000';
const API_KEY = 'sk-ant-fuzz-SECRET-twilio-abcdefgh';
const VOICE_ROUTES = ROUTES.filter((route) => route.path.startsWith('/voice/twilio/'));

let fakeTwilio: TelephonyServer;
beforeAll(async () => {
  fakeTwilio = await startFakeTwilio();
});
afterAll(() => fakeTwilio.close());

function world(): WebhookWorld {
  const models = createScriptedRouter();
  const ctx = createVoiceContext(twilioVoice(fakeTwilio.origin, { replyWaitSeconds: 1 }), {
    env: { TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, ANTHROPIC_API_KEY: API_KEY },
    models,
  });
  const app = createApp(ctx, { clientAddress: () => '203.0.113.9' }, VOICE_ROUTES);
  return { ctx, app, outsideCalls: () => fakeTwilio.requests.length + models.requests.length };
}

const value = fc.oneof(
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'constructor',
      '__proto__',
      'toString',
      'completed',
      'in-progress',
      'ringing',
      'busy',
      'outbound-api',
      '0',
      '-1',
      '1e9',
      'NaN',
    ),
  },
);
const fields = fc.record({
  path: fc.constantFrom(
    '/voice/twilio/incoming',
    '/voice/twilio/incoming',
    '/voice/twilio/gather',
    '/voice/twilio/status',
    '/voice/twilio/status',
    '/voice/twilio/gather?step=1&wait=1',
    '/voice/twilio/gather?wait=99',
    '/voice/twilio/status?x=%00',
  ),
  fields: fc
    .record(
      {
        AccountSid: fc.constantFrom(TWILIO_SID, 'AC0'),
        CallSid: fc.constantFrom('CA1', 'CA1', 'CA1', 'CA2', 'constructor', ''),
        From: fc.constantFrom(OWNER, OWNER, OWNER, '+15559999999', 'anonymous', ''),
        To: fc.constantFrom(OUR_NUMBER, ''),
        Direction: fc.constantFrom('inbound', 'outbound-api', 'toString'),
        CallStatus: value,
        SpeechResult: value,
        CallDuration: value,
      },
      { requiredKeys: [] },
    )
    .chain((base) =>
      fc
        .dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 })
        .map((extra) => ({ ...base, ...extra })),
    ),
  bodyEdit: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant('mutate') },
    { weight: 1, arbitrary: junkText },
  ),
  signature: fc.constantFrom(
    'valid',
    'valid',
    'valid',
    'internal-url',
    'other-token',
    'over-fields',
    'mutated',
    'missing',
    'junk',
  ),
  junk: junkText,
});
const request = fields.chain((r) => {
  const encoded = new URLSearchParams(r.fields as Record<string, string>).toString();
  const body =
    r.bodyEdit === null
      ? fc.constant(encoded)
      : r.bodyEdit === 'mutate'
        ? mutatedString(encoded)
        : fc.constant(r.bodyEdit);
  return body.map((b) => ({ ...r, body: b }));
});

const OPENING = {
  path: '/voice/twilio/incoming',
  body: new URLSearchParams(twilioCall('CA1', OWNER, OUR_NUMBER)).toString(),
  signature: 'valid',
  junk: '',
};

describe('fuzz: Twilio voice webhooks', () => {
  it(
    'never a 5xx, nothing done without a valid X-Twilio-Signature, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(request, { minLength: 1, maxLength: 3 }),
          async (opened, more) => {
            // Half the cases start with a call in progress, so status and gather have one to act on.
            const requests = opened ? [OPENING, ...more] : more;
            const w = world();
            for (const r of requests) {
              let signature: string | null;
              if (r.signature === 'valid') signature = sign(TWILIO_TOKEN, PUBLIC + r.path, r.body);
              else if (r.signature === 'internal-url')
                signature = sign(TWILIO_TOKEN, INTERNAL + r.path, r.body);
              else if (r.signature === 'other-token')
                signature = sign('another-auth-token-000000000000', PUBLIC + r.path, r.body);
              else if (r.signature === 'over-fields')
                signature = sign(TWILIO_TOKEN, PUBLIC + r.path, `${r.body}&x=1`);
              else if (r.signature === 'mutated')
                signature = `${sign(TWILIO_TOKEN, PUBLIC + r.path, r.body).slice(0, -2)}A=`;
              else signature = r.signature === 'junk' ? r.junk : null;
              const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
              setSendable(headers, 'x-twilio-signature', signature);
              const req = new Request(INTERNAL + r.path, { method: 'POST', headers, body: r.body });
              const sent = req.headers.get('x-twilio-signature');
              await checkWebhook({
                world: w,
                request: req,
                genuine: sent !== null && sent === sign(TWILIO_TOKEN, PUBLIC + r.path, r.body),
                secrets: [TWILIO_TOKEN, API_KEY],
              });
            }
            await expectKnownCallStatuses(w.ctx);
          },
        ),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(120),
  );
});
