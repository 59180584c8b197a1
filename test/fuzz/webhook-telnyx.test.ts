// Fuzz: POST /voice/telnyx/events through the hono app, 1–3 events per case on one gateway.
// Call Control events (initiated, answered, transcription, speak.ended, hangup, unknown kinds)
// random and mutated; the Ed25519 signature over `timestamp|body` valid, from another key, over
// another body, mutated, missing; timestamps fresh, stale, future, junk. A request is genuine
// when an independent WebCrypto check of the signature passes and the timestamp is fresh.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTelnyx, TELNYX_KEY } from '../fakes/telnyx-rest';
import { createScriptedRouter } from '../helpers/scripted-router';
import { createVoiceContext, telnyxVoice, VOICE } from '../helpers/voice-context';
import { createTelnyxSigner, type TelnyxSigner } from '../helpers/voice-webhooks';
import { bodyFrom, junkText } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import {
  caseSignature,
  caseTimestamp,
  checkWebhook,
  expectKnownCallStatuses,
  type SignatureKind,
  setSendable,
  type TimestampKind,
  type WebhookWorld,
} from './webhook-harness';

const { owner: OWNER, number: OUR_NUMBER } = VOICE;
const TARGET = 'http://127.0.0.1:3000/voice/telnyx/events';
const API_KEY = 'sk-ant-fuzz-SECRET-telnyx-abcdefgh';
const WINDOW_S = 300;

let fake: TelephonyServer;
let signer: TelnyxSigner;
let otherSigner: TelnyxSigner;
beforeAll(async () => {
  fake = await startFakeTelnyx();
  [signer, otherSigner] = await Promise.all([createTelnyxSigner(), createTelnyxSigner()]);
});
afterAll(() => fake.close());

function world(): WebhookWorld {
  const models = createScriptedRouter();
  const ctx = createVoiceContext(telnyxVoice(fake.origin), {
    env: { TELNYX_API_KEY: TELNYX_KEY, TELNYX_PUBLIC_KEY: signer.publicKey, ANTHROPIC_API_KEY: API_KEY },
    models,
  });
  const app = createApp(
    ctx,
    { clientAddress: () => '203.0.113.9' },
    ROUTES.filter((route) => route.path.startsWith('/voice/telnyx')),
  );
  return { ctx, app, outsideCalls: () => fake.requests.length + models.requests.length };
}

const word = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.constantFrom('', 'constructor', 'toString', 'hasOwnProperty', '__proto__'),
);
const event = fc
  .record({
    id: fc.oneof(fc.uuid(), fc.constantFrom('evt-1', 'evt-1', 'constructor')),
    event_type: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'call.initiated',
          'call.answered',
          'call.transcription',
          'call.speak.ended',
          'call.hangup',
        ),
      },
      { weight: 1, arbitrary: word },
    ),
    call: fc.constantFrom('v3:call-1', 'v3:call-1', 'v3:call-2', 'constructor', ''),
    direction: fc.constantFrom('incoming', 'outgoing', 'sideways'),
    from: fc.constantFrom(OWNER, '+15559999999', ''),
    transcript: word,
    hangup_cause: word,
  })
  .map((e) => ({
    data: {
      record_type: 'event',
      event_type: e.event_type,
      id: e.id,
      occurred_at: '2026-01-01T00:00:00Z',
      payload: {
        call_control_id: e.call,
        direction: e.direction,
        from: e.from,
        to: OUR_NUMBER,
        state: 'parked',
        transcription_data: { transcript: e.transcript, is_final: true, confidence: 0.9 },
        hangup_cause: e.hangup_cause,
      },
    },
    meta: { attempt: 1, delivered_to: TARGET },
  }));

const request = fc.record({
  body: bodyFrom(event),
  signature: fc.constantFrom<SignatureKind>(
    'valid',
    'valid',
    'valid',
    'valid',
    'other-key',
    'other-body',
    'mutated',
    'missing',
    'junk',
  ),
  timestamp: fc.constantFrom<TimestampKind>('now', 'now', 'now', 'stale', 'future', 'junk', 'missing'),
  mutate: fc.tuple(fc.nat(85), fc.constantFrom('A', '/', '=', '', '+', '-')),
  junk: junkText,
});

async function genuine(req: Request): Promise<boolean> {
  const signature = req.headers.get('telnyx-signature-ed25519') ?? '';
  const timestamp = req.headers.get('telnyx-timestamp') ?? '';
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > WINDOW_S) return false;
  // Standard or URL-safe base64 (the gateway takes both): what counts is the bytes it carries.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  const body = await req.clone().text();
  return signer.verify(bytes, timestamp, body);
}

describe('fuzz: Telnyx voice webhook', () => {
  it(
    'never a 5xx, nothing done without a valid fresh Ed25519 signature, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 3 }), async (requests) => {
          const w = world();
          for (const r of requests) {
            const timestamp = caseTimestamp(r.timestamp, 900, r.junk);
            const signature = await caseSignature(
              r,
              {
                ours: (body) => signer.sign(timestamp ?? '', body),
                other: (body) => otherSigner.sign(timestamp ?? '', body),
              },
              '\n',
            );
            const headers = new Headers({ 'content-type': 'application/json' });
            setSendable(headers, 'telnyx-signature-ed25519', signature);
            setSendable(headers, 'telnyx-timestamp', timestamp);
            const req = new Request(TARGET, { method: 'POST', headers, body: r.body });
            await checkWebhook({
              world: w,
              request: req,
              genuine: await genuine(req),
              secrets: [TELNYX_KEY, API_KEY],
            });
          }
          await expectKnownCallStatuses(w.ctx);
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(120),
  );
});
