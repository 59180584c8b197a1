// Fuzz: every control method's params (every name in METHODS), on an authenticated connection.
// Params are random JSON, shaped by the method's own zod schema, or such values mutated, so the
// handlers behind the schemas run too. Properties: exactly one response per request; a failure is
// never INTERNAL (an exception nobody meant) and nothing logs a crash, also after background work
// settles; no secret in any frame (events and log lines included) or log line.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../src/core/protocol/methods/index';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTwilio, TWILIO_SID, TWILIO_TOKEN } from '../fakes/twilio-rest';
import { createTestContext, type TestContext } from '../helpers/context';
import { createScriptedRouter } from '../helpers/scripted-router';
import { twilioVoice, voicePluginConfig } from '../helpers/voice-context';
import { jsonValue, mutatedJson } from './arbitraries';
import { crashLines, leakedSecrets } from './checks';
import { fuzzParams, fuzzTimeout } from './settings';
import { openHarness, tick } from './ws-harness';
import { arbitraryFor, type Words } from './zod-arbitrary';

const TOKEN = 'gw-fuzz-token-SECRET-0123456789abcdef';
const ENV_SECRETS = {
  ANTHROPIC_API_KEY: 'sk-ant-fuzz-SECRET-abcdefghijklmnop',
  OPENAI_API_KEY: 'sk-openai-fuzz-SECRET-qrstuvwxyz0123',
  TELEGRAM_BOT_TOKEN: '777000:fuzz-SECRET-telegram-token-abcdef',
  DISCORD_BOT_TOKEN: 'discord.fuzz-SECRET.token-0123456789',
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
};
const LITERAL_SECRET = 'literal-webhook-SECRET-in-config-0042';
const SECRETS = [TOKEN, ...Object.values(ENV_SECRETS), LITERAL_SECRET];

/** Strings that mean something to some method, so shaped params often pass the schema and reach the handler. */
const ANY = [
  'main',
  'telegram',
  'hello there',
  '/reset',
  '/new',
  '__proto__',
  'constructor',
  '__redacted__',
  'UTC',
];
const WORDS: Words = {
  '*': ANY,
  sessionKey: [
    'agent:main:control:owner:main',
    'agent:main:telegram:default:42',
    'agent:helper:control:owner:main',
    'agent:main:x:y:z',
    'agent:..:a:b:c',
  ],
  agentId: ['main', 'helper', 'nobody'],
  channel: ['telegram', 'discord', 'whatsapp'],
  code: ['ABCD1234', 'ZZZZ9999'],
  id: ['daily-digest', 'from-config', 'nope'],
  schedule: ['*/5 * * * *', '0 9 * * 1-5', '30 8 1 * *'],
  cron: ['*/5 * * * *', '0 9 * * 1-5', '* * * * * *'],
  every: ['2h', '10s', '1m', '30 minutes'],
  at: ['2026-01-01T09:00:00Z', '2030-06-01T12:00:00+02:00'],
  tz: ['Europe/Berlin', 'UTC', 'Mars/Olympus'],
  timeZone: ['Europe/Berlin', 'UTC'],
  to: ['+15551230000', '+15559999999'],
  callId: ['call-1', 'CA0001'],
  runId: ['run-1'],
  message: ['hello there', '/reset', 'what time is it?'],
  mimeType: ['image/png', 'image/jpeg'],
  dataBase64: ['aGVsbG8=', 'iVBORw0KGgo='],
  model: ['anthropic/claude-test', 'openai/gpt-4o'],
};

let twilio: TelephonyServer;
let config: Record<string, unknown>;
beforeAll(async () => {
  twilio = await startFakeTwilio();
  const guide = JSON.parse(readFileSync(new URL('../fixtures/guide-config.json', import.meta.url), 'utf8'));
  config = {
    ...guide,
    agents: {
      ...guide.agents,
      defaults: { ...guide.agents.defaults, model: { primary: 'anthropic/claude-test' } },
    },
    gateway: { mode: 'local' },
    channels: {
      ...guide.channels,
      telegram: { enabled: true, dmPolicy: 'pairing', webhookSecret: LITERAL_SECRET },
    },
    cron: { jobs: [{ id: 'from-config', schedule: { every: '1h' }, message: 'tick' }] },
    ...voicePluginConfig(twilioVoice(twilio.origin, { publicUrl: 'https://voice.example.com' })),
  };
});
afterAll(() => twilio.close());

const names = Object.keys(METHODS);
const request = fc.constantFrom(...names).chain((name) => {
  const shaped = arbitraryFor(METHODS[name]!.params, WORDS);
  return fc
    .oneof(
      { weight: 5, arbitrary: shaped },
      {
        weight: 2,
        arbitrary: shaped.chain((value) => (value === undefined ? jsonValue : mutatedJson(value, 2))),
      },
      { weight: 1, arbitrary: jsonValue },
      { weight: 1, arbitrary: fc.constant(undefined) },
    )
    .map((params) => ({ method: name, params }));
});

function newContext(): TestContext {
  return createTestContext({
    token: TOKEN,
    config,
    env: {
      ...ENV_SECRETS,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      OPENAI_BASE_URL: 'http://127.0.0.1:9',
    },
    models: createScriptedRouter(),
  });
}

describe('fuzz: WS method params', () => {
  it(
    `every method (${names.length}) answers once, never INTERNAL, no crash, no secret`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 3 }), async (requests) => {
          const ctx = newContext();
          const h = openHarness(ctx, '10.1.0.1');
          h.connection.onMessage(
            JSON.stringify({
              type: 'req',
              id: 'c',
              method: 'connect',
              params: { protocol: 1, auth: { token: TOKEN } },
            }),
          );
          expect(await h.until(() => h.responses().length === 1)).toBe(true);
          expect(h.responses()[0]!.ok).toBe(true);
          for (const [index, { method, params }] of requests.entries()) {
            const id = `r${index}`;
            h.connection.onMessage(JSON.stringify({ type: 'req', id, method, params }));
            expect(
              await h.until(() => h.responses().some((r) => r.id === id), 10_000),
              `${method} answered`,
            ).toBe(true);
            await tick();
            const answers = h.responses().filter((r) => r.id === id);
            expect(answers).toHaveLength(1);
            if (answers[0]!.ok === false)
              expect(answers[0]!.error!.code, `${method}: ${answers[0]!.error!.message}`).not.toBe(
                'INTERNAL',
              );
          }
          await ctx.settle();
          h.connection.onClose();
          expect(crashLines(ctx.lines)).toEqual([]);
          expect(ctx.lines.filter((l) => /^method .* failed/.test(l.message))).toEqual([]);
          expect(leakedSecrets([...h.raw, ...ctx.lines.map((l) => l.line)], SECRETS)).toEqual([]);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(60),
  );
});
