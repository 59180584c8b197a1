// Fuzz: POST /discord/interactions through the hono app. PINGs and /ask commands, mutated and
// junk bodies, the Ed25519 signature valid, over another body, from another key, mutated,
// missing; timestamps fresh, stale, in the future, junk. A request is genuine when an independent
// WebCrypto check of the signature over timestamp+body passes and the timestamp is fresh.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MAX_SIGNATURE_AGE_MS } from '../../src/core/channels/discord/interactions';
import { createApp } from '../../src/handlers/app';
import { handleDiscordInteraction } from '../../src/handlers/discord-interactions';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord';
import { createTestContext } from '../helpers/context';
import { createScriptedRouter } from '../helpers/scripted-router';
import { bodyFrom, junkText, sendableHeader } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { checkWebhook, type WebhookWorld } from './webhook-harness';

const BOT_TOKEN = 'discord-bot-fuzz-SECRET.token.abcdefghij';
const API_KEY = 'sk-ant-fuzz-SECRET-discord-abcdef';
const GUILD = 'G100';

let fake: FakeDiscord;
let keys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let publicKeyHex: string;
beforeAll(async () => {
  fake = await startFakeDiscord({ token: BOT_TOKEN });
  const generate = () =>
    crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  [keys, otherKeys] = await Promise.all([generate(), generate()]);
  publicKeyHex = Buffer.from(await crypto.subtle.exportKey('raw', keys.publicKey)).toString('hex');
});
afterAll(() => fake.close());

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
function world(): WebhookWorld {
  const models = createScriptedRouter();
  const ctx = createTestContext({
    env: { DISCORD_API_BASE: fake.apiBase, DISCORD_BOT_TOKEN: BOT_TOKEN, ANTHROPIC_API_KEY: API_KEY },
    models,
    config: {
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      bindings: [{ agentId: 'main', match: { channel: 'discord' } }],
      channels: {
        discord: {
          enabled: true,
          groupPolicy: 'allowlist',
          publicKey: publicKeyHex,
          guilds: { [GUILD]: { channels: { general: { allow: true } }, requireMention: false } },
        },
      },
    },
  });
  const app = createApp(ctx, { clientAddress: () => '127.0.0.1' }, [
    { method: 'POST', path: '/discord/interactions', handler: handleDiscordInteraction },
  ]);
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

type SignatureKind = 'valid' | 'other-body' | 'other-key' | 'mutated' | 'missing' | 'junk';
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
  timestamp: fc.constantFrom('now', 'now', 'now', 'stale', 'future', 'junk', 'missing', 'float'),
});

const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex');
const encode = (text: string) => new TextEncoder().encode(text);

async function genuine(req: Request): Promise<boolean> {
  const signature = req.headers.get('x-signature-ed25519') ?? '';
  const timestamp = req.headers.get('x-signature-timestamp') ?? '';
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return false;
  const body = await req.clone().text();
  return crypto.subtle.verify(
    'Ed25519',
    keys.publicKey,
    Buffer.from(signature, 'hex'),
    encode(timestamp + body),
  );
}

describe('fuzz: Discord interactions endpoint', () => {
  it(
    'never a 5xx, nothing done without a valid fresh Ed25519 signature, no secret leaked',
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const now = Math.floor(Date.now() / 1000);
          const timestamp = {
            now: String(now),
            stale: String(now - 600),
            future: String(now + 600),
            junk: r.junk,
            missing: null,
            float: `${now}.5`,
          }[r.timestamp];
          const signed = async (key: CryptoKey, body: string) =>
            hex(await crypto.subtle.sign('Ed25519', key, encode(`${timestamp ?? ''}${body}`)));
          let signature: string | null;
          if (r.signature === 'valid') signature = await signed(keys.privateKey, r.body);
          else if (r.signature === 'other-body') signature = await signed(keys.privateKey, `${r.body} `);
          else if (r.signature === 'other-key') signature = await signed(otherKeys.privateKey, r.body);
          else if (r.signature === 'mutated') {
            const valid = await signed(keys.privateKey, r.body);
            const [at, replacement] = r.mutate;
            signature = valid.slice(0, at) + replacement + valid.slice(at + 1);
          } else signature = r.signature === 'junk' ? r.junk : null;
          const headers = new Headers({ 'content-type': 'application/json' });
          if (signature !== null && sendableHeader(signature)) headers.set('x-signature-ed25519', signature);
          if (timestamp !== null && sendableHeader(timestamp))
            headers.set('x-signature-timestamp', timestamp);
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
