// Fuzz: the WhatsApp Cloud API webhook through the hono app. POST /whatsapp/webhook with texts,
// images, reactions, statuses (mutated, junk, several per case) and X-Hub-Signature-256 valid,
// with another secret, over another body, mutated, upper-case, missing; GET /whatsapp/webhook
// handshakes with right and wrong verify tokens. A POST is genuine when an independent HMAC of
// the raw bytes matches; a GET only with the exact verify token.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type FakeGraph, startFakeGraph, waPayloads } from '../fakes/whatsapp-graph';
import { createScriptedRouter } from '../helpers/scripted-router';
import { whatsappSetup } from '../helpers/whatsapp-context';
import { bodyFrom, junkText, mutatedString, sendableHeader } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { checkWebhook, type WebhookWorld } from './webhook-harness';

const VERIFY = 'wa-verify-SECRET-token-0123456789';
const API_KEY = 'sk-ant-fuzz-SECRET-whatsapp-abcdef';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph({
    token: 'EAAG-fuzz-SECRET-whatsapp-token-0123',
    appSecret: 'wa-app-SECRET-fuzz-abcdef0123456789',
  });
});
afterAll(() => graph.close());

function world(dmPolicy: string): WebhookWorld {
  const models = createScriptedRouter();
  const { ctx, app } = whatsappSetup(graph, {
    verifyToken: VERIFY,
    whatsapp: { dmPolicy },
    env: { ANTHROPIC_API_KEY: API_KEY },
    models,
  });
  return { ctx, app, outsideCalls: () => graph.calls.length + models.requests.length };
}

const phone = fc.oneof(
  fc.constantFrom('15551234567', '15559876543', '', 'constructor'),
  fc.string({ maxLength: 14 }),
);
const wamid = fc.oneof(
  fc.constantFrom('wamid.1', 'wamid.1', 'wamid.2', '__proto__'),
  fc.string({ maxLength: 12 }),
);
const body = fc.oneof(
  fc.tuple(phone, wamid, fc.string({ maxLength: 40 }), fc.option(wamid)).map(([from, id, text, contextId]) =>
    waPayloads.text(graph?.phoneNumberId ?? '1', {
      from,
      id,
      text,
      ...(contextId === null ? {} : { contextId }),
    }),
  ),
  fc
    .tuple(phone, wamid, fc.string({ maxLength: 12 }))
    .map(([from, id, caption]) =>
      waPayloads.image(graph?.phoneNumberId ?? '1', { from, id, mediaId: 'no-such-media', caption }),
    ),
  fc
    .tuple(phone, wamid)
    .map(([from, messageId]) =>
      waPayloads.reaction(graph?.phoneNumberId ?? '1', { from, messageId, emoji: '👍' }),
    ),
  fc
    .tuple(
      wamid,
      fc.constantFrom('sent', 'delivered', 'read', 'failed', 'constructor'),
      fc.option(fc.constantFrom(131047, 131026, 0)),
    )
    .map(([id, status, errorCode]) =>
      waPayloads.status(graph?.phoneNumberId ?? '1', {
        id,
        status,
        ...(errorCode === null ? {} : { errorCode }),
      }),
    ),
);

const post = fc.record({
  kind: fc.constant('post' as const),
  body: bodyFrom(body),
  signature: fc.constantFrom(
    'valid',
    'valid',
    'valid',
    'upper',
    'other-secret',
    'other-body',
    'mutated',
    'missing',
    'junk',
    'no-prefix',
  ),
  mutate: fc.tuple(fc.nat(70), fc.constantFrom('0', 'f', 'g', '', '=')),
  junk: junkText,
  dmPolicy: fc.constantFrom('open', 'pairing', 'disabled'),
});
const handshake = fc.record({
  kind: fc.constant('get' as const),
  mode: fc.constantFrom('subscribe', 'subscribe', 'unsubscribe', ''),
  token: fc.oneof(fc.constant(VERIFY), mutatedString(VERIFY), junkText),
  challenge: fc.oneof(fc.constantFrom('1158201444', ''), junkText),
  dmPolicy: fc.constant('open'),
});

const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');

async function genuine(req: Request): Promise<boolean> {
  const header = req.headers.get('x-hub-signature-256')?.trim() ?? '';
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header)?.[1];
  if (!hex) return false;
  const raw = Buffer.from(await req.clone().arrayBuffer());
  return hex.toLowerCase() === createHmac('sha256', graph.appSecret).update(raw).digest('hex');
}

describe('fuzz: WhatsApp Cloud webhook', () => {
  it(
    'never a 5xx, nothing done without a valid X-Hub-Signature-256 (or verify token), no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof({ weight: 5, arbitrary: post }, { weight: 1, arbitrary: handshake }), {
            minLength: 1,
            maxLength: 3,
          }),
          async (requests) => {
            const w = world(requests[0]!.dmPolicy);
            for (const r of requests) {
              let req: Request;
              let isGenuine: boolean;
              if (r.kind === 'get') {
                const query = new URLSearchParams({
                  'hub.mode': r.mode,
                  'hub.verify_token': r.token,
                  'hub.challenge': r.challenge,
                });
                req = new Request(`http://127.0.0.1:3000/whatsapp/webhook?${query}`);
                isGenuine = r.token === VERIFY;
              } else {
                const valid = `sha256=${hmac(graph.appSecret, r.body)}`;
                const [at, replacement] = r.mutate;
                const signature = {
                  valid,
                  upper: valid.toUpperCase().replace('SHA256=', 'sha256='),
                  'other-secret': `sha256=${hmac('another-app-secret', r.body)}`,
                  'other-body': `sha256=${hmac(graph.appSecret, `${r.body} `)}`,
                  mutated: valid.slice(0, 7 + at) + replacement + valid.slice(8 + at),
                  missing: null,
                  junk: r.junk,
                  'no-prefix': hmac(graph.appSecret, r.body),
                }[r.signature];
                const headers = new Headers({ 'content-type': 'application/json' });
                if (signature !== null && sendableHeader(signature))
                  headers.set('x-hub-signature-256', signature);
                req = new Request('http://127.0.0.1:3000/whatsapp/webhook', {
                  method: 'POST',
                  headers,
                  body: r.body,
                });
                isGenuine = await genuine(req);
              }
              await checkWebhook({
                world: w,
                request: req,
                genuine: isGenuine,
                secrets: [graph.token, graph.appSecret, VERIFY, API_KEY],
              });
            }
          },
        ),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(80),
  );
});
