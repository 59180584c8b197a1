// Fuzz: POST /voice/telnyx/events through the hono app, 1–3 events per case on one gateway.
// Call Control events (initiated, answered, transcription, speak.ended, hangup, unknown kinds)
// random and mutated; the Ed25519 signature over `timestamp|body` valid, from another key, over
// another body, mutated, missing; timestamps fresh, stale, future, junk. A request is genuine
// when an independent WebCrypto check of the signature passes and the timestamp is fresh.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTelnyx, TELNYX_KEY } from '../fakes/telnyx-rest';
import { createTestContext } from '../helpers/context';
import { createScriptedRouter } from '../helpers/scripted-router';
import { bodyFrom, junkText, sendableHeader } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { checkWebhook, type WebhookWorld } from './webhook-harness';

const TARGET = 'http://127.0.0.1:3000/voice/telnyx/events';
const OWNER = '+15551230000';
const OUR_NUMBER = '+15550001111';
const API_KEY = 'sk-ant-fuzz-SECRET-telnyx-abcdefgh';
const WINDOW_S = 300;
const CALL_STATUSES = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
  'rejected',
];

let fake: TelephonyServer;
let keys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let publicKey: string;
beforeAll(async () => {
  fake = await startFakeTelnyx();
  const generate = () =>
    crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  [keys, otherKeys] = await Promise.all([generate(), generate()]);
  publicKey = Buffer.from(await crypto.subtle.exportKey('raw', keys.publicKey)).toString('base64');
});
afterAll(() => fake.close());

function world(): WebhookWorld {
  const models = createScriptedRouter();
  const ctx = createTestContext({
    config: {
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      plugins: {
        entries: {
          'voice-call': {
            enabled: true,
            config: {
              provider: 'telnyx',
              fromNumber: OUR_NUMBER,
              telnyx: { apiBase: fake.origin, connectionId: 'conn-1' },
              inbound: { allowFrom: [OWNER] },
            },
          },
        },
      },
    },
    env: { TELNYX_API_KEY: TELNYX_KEY, TELNYX_PUBLIC_KEY: publicKey, ANTHROPIC_API_KEY: API_KEY },
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
  signature: fc.constantFrom(
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
  timestamp: fc.constantFrom('now', 'now', 'now', 'stale', 'future', 'junk', 'missing'),
  mutate: fc.tuple(fc.nat(85), fc.constantFrom('A', '/', '=', '', '+', '-')),
  junk: junkText,
});

const encode = (text: string) => new TextEncoder().encode(text);
const b64 = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('base64');

async function genuine(req: Request): Promise<boolean> {
  const signature = req.headers.get('telnyx-signature-ed25519') ?? '';
  const timestamp = req.headers.get('telnyx-timestamp') ?? '';
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > WINDOW_S) return false;
  // Standard or URL-safe base64 (the gateway takes both): what counts is the bytes it carries.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  const body = await req.clone().text();
  return crypto.subtle.verify('Ed25519', keys.publicKey, bytes, encode(`${timestamp}|${body}`));
}

describe('fuzz: Telnyx voice webhook', () => {
  it(
    'never a 5xx, nothing done without a valid fresh Ed25519 signature, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 3 }), async (requests) => {
          const w = world();
          for (const r of requests) {
            const now = Math.floor(Date.now() / 1000);
            const timestamp = {
              now: String(now),
              stale: String(now - 900),
              future: String(now + 900),
              junk: r.junk,
              missing: null,
            }[r.timestamp];
            const signed = async (key: CryptoKey, body: string) =>
              b64(await crypto.subtle.sign('Ed25519', key, encode(`${timestamp ?? ''}|${body}`)));
            let signature: string | null;
            if (r.signature === 'valid') signature = await signed(keys.privateKey, r.body);
            else if (r.signature === 'other-key') signature = await signed(otherKeys.privateKey, r.body);
            else if (r.signature === 'other-body') signature = await signed(keys.privateKey, `${r.body}\n`);
            else if (r.signature === 'mutated') {
              const valid = await signed(keys.privateKey, r.body);
              const [at, replacement] = r.mutate;
              signature = valid.slice(0, at) + replacement + valid.slice(at + 1);
            } else signature = r.signature === 'junk' ? r.junk : null;
            const headers = new Headers({ 'content-type': 'application/json' });
            if (signature !== null && sendableHeader(signature))
              headers.set('telnyx-signature-ed25519', signature);
            if (timestamp !== null && sendableHeader(timestamp)) headers.set('telnyx-timestamp', timestamp);
            const req = new Request(TARGET, { method: 'POST', headers, body: r.body });
            await checkWebhook({
              world: w,
              request: req,
              genuine: await genuine(req),
              secrets: [TELNYX_KEY, API_KEY],
            });
          }
          // Whatever was signed, every call record keeps a status the gateway knows.
          for (const key of await w.ctx.store.keys('calls:')) {
            const call = await w.ctx.store.get<{ status?: unknown }>(key);
            expect(CALL_STATUSES, `${key}: ${JSON.stringify(call)}`).toContain(call?.status);
          }
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(120),
  );
});
