// Fuzz: POST /discord/interactions through the hono app. PINGs and /ask commands, mutated and
// junk bodies, the Ed25519 signature valid, over another body, from another key, mutated,
// missing; timestamps fresh, stale, in the future, junk. A request is genuine when an independent
// WebCrypto check of the signature over timestamp+body passes and the timestamp is fresh.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MAX_SIGNATURE_AGE_MS } from '../../src/core/channels/discord/interactions';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord';
import { discordInteractionsSetup, DISCORD_GUILD as GUILD } from '../helpers/discord-interactions';
import { createEd25519Keys, type Ed25519Keys } from '../helpers/ed25519';
import { createScriptedRouter } from '../helpers/scripted-router';
import { bodyFrom, junkText } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import {
  caseSignature,
  caseTimestamp,
  checkWebhook,
  type SignatureKind,
  setSendable,
  type TimestampKind,
  type WebhookWorld,
} from './webhook-harness';

const BOT_TOKEN = 'discord-bot-fuzz-SECRET.token.abcdefghij';
const API_KEY = 'sk-ant-fuzz-SECRET-discord-abcdef';

let fake: FakeDiscord;
let keys: Ed25519Keys;
let otherKeys: Ed25519Keys;
beforeAll(async () => {
  fake = await startFakeDiscord({ token: BOT_TOKEN });
  [keys, otherKeys] = await Promise.all([createEd25519Keys(), createEd25519Keys()]);
});
afterAll(() => fake.close());

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
function world(): WebhookWorld {
  const models = createScriptedRouter();
  const { ctx, app } = discordInteractionsSetup({
    env: { DISCORD_API_BASE: fake.apiBase, DISCORD_BOT_TOKEN: BOT_TOKEN, ANTHROPIC_API_KEY: API_KEY },
    models,
    publicKey: keys.publicKey.toString('hex'),
  });
  const restCalls = () => METHODS.reduce((sum, method) => sum + fake.calls(method, /./).length, 0);
  return { ctx, app, outsideCalls: () => restCalls() + models.requests.length };
}

const snowflake = fc.oneof(
  fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  fc.constantFrom('4001', GUILD, 'G999', ''),
);
const user = fc.record({
  id: snowflake,
  username: fc.string({ maxLength: 12 }),
  global_name: fc.option(fc.string({ maxLength: 12 })),
});
const place = fc.oneof(
  fc
    .tuple(snowflake, user)
    .map(([channel, u]) => ({ channel_id: channel, channel: { id: channel, type: 1 }, user: u })),
  fc
    .tuple(fc.constantFrom(GUILD, 'G999'), fc.constantFrom('4001', '4002'), user)
    .map(([guild, channel, u]) => ({
      guild_id: guild,
      channel_id: channel,
      channel: { id: channel, type: 0, name: channel === '4001' ? 'general' : 'random' },
      member: { user: u, nick: null },
    })),
);
const interaction = fc.oneof(
  fc.record({ id: snowflake, application_id: fc.constant('app'), type: fc.constant(1), token: fc.string() }),
  fc
    .tuple(snowflake, fc.string({ maxLength: 40 }), fc.constantFrom('ask', 'other'), place)
    .map(([id, prompt, name, where]) => ({
      id,
      application_id: fake?.applicationId ?? 'app',
      type: 2,
      token: `interaction-token-${id}`,
      data: { name, type: 1, options: [{ name: 'prompt', type: 3, value: prompt }] },
      ...where,
    })),
  fc.integer({ min: -1, max: 6 }).map((type) => ({ id: '1', application_id: 'app', type, token: 't' })),
);

const request = fc.record({
  body: bodyFrom(interaction),
  signature: fc.constantFrom<SignatureKind>(
    'valid',
    'valid',
    'valid',
    'other-body',
    'other-key',
    'mutated',
    'missing',
    'junk',
  ),
  mutate: fc.tuple(fc.nat(127), fc.constantFrom('0', 'f', 'g', '', 'F', '00')),
  junk: junkText,
  timestamp: fc.constantFrom<TimestampKind>(
    'now',
    'now',
    'now',
    'stale',
    'future',
    'junk',
    'missing',
    'float',
  ),
});

async function genuine(req: Request): Promise<boolean> {
  const signature = req.headers.get('x-signature-ed25519') ?? '';
  const timestamp = req.headers.get('x-signature-timestamp') ?? '';
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return false;
  const body = await req.clone().text();
  return keys.verify(Buffer.from(signature, 'hex'), timestamp + body);
}

describe('fuzz: Discord interactions endpoint', () => {
  it(
    'never a 5xx, nothing done without a valid fresh Ed25519 signature, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const timestamp = caseTimestamp(r.timestamp, 600, r.junk);
          const signed = async (key: Ed25519Keys, body: string) =>
            (await key.sign(`${timestamp ?? ''}${body}`)).toString('hex');
          const signature = await caseSignature(
            r,
            { ours: (body) => signed(keys, body), other: (body) => signed(otherKeys, body) },
            ' ',
          );
          const headers = new Headers({ 'content-type': 'application/json' });
          setSendable(headers, 'x-signature-ed25519', signature);
          setSendable(headers, 'x-signature-timestamp', timestamp);
          const req = new Request('http://127.0.0.1:3000/discord/interactions', {
            method: 'POST',
            headers,
            body: r.body,
          });
          await checkWebhook({
            world: world(),
            request: req,
            genuine: await genuine(req),
            secrets: [BOT_TOKEN, API_KEY],
          });
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(40),
  );
});
