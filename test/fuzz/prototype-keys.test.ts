// Property: a `__proto__`, `constructor` or `prototype` key, at any depth of any JSON that crosses
// a boundary (the config file, config set and config.apply, WS frames and their params, webhook
// bodies, the OpenClaw import), never changes behaviour unseen, crashes, or reaches a prototype:
// config refuses it by dotted path, everything else answers as usual and Object.prototype stays clean.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import JSON5 from 'json5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOpenClaw } from '../../src/adapters/node/openclaw/import';
import { registerTelegramChannel } from '../../src/core/channels/telegram/adapter';
import { SECRET_HEADER } from '../../src/core/channels/telegram/verify';
import { createConfigStore } from '../../src/core/config/config-store';
import { formatDottedPath } from '../../src/core/config/dotted-path';
import { FORBIDDEN_KEYS } from '../../src/core/config/forbidden-keys';
import { parseConfigText, parseConfigValue } from '../../src/core/config/parse';
import { createApp } from '../../src/handlers/app';
import { cli } from '../adapters/node/cli/run-in-process';
import { type FakeBotApi, startFakeBotApi } from '../fakes/telegram-bot-api';
import { createTestContext, TEST_TOKEN } from '../helpers/context';
import { removeDir, tempStateDir } from '../helpers/gateway-process';
import { createScriptedRouter } from '../helpers/scripted-router';
import { jsonValue } from './arbitraries';
import { fuzzParams, fuzzTimeout } from './settings';
import { openHarness, tick } from './ws-harness';

const GUIDE = JSON.parse(readFileSync(new URL('../fixtures/guide-config.json', import.meta.url), 'utf8'));

/** What an attacker would hide behind a prototype: settings that matter. */
const payload = fc.oneof(
  fc.constant({ bind: '127.0.0.3', controlUi: { enabled: false }, mode: 'remote' }),
  fc.constant({ enabled: true, dmPolicy: 'open', allowFrom: ['*'] }),
  fc.constant({ isAdmin: true, polluted: 'yes' }),
  jsonValue,
);

/** A deep copy of `base` with `key: value` put (as an own key) at a random object along a random path. */
function injected(base: unknown): fc.Arbitrary<{ doc: Record<string, unknown>; path: string[] }> {
  return fc
    .tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(...FORBIDDEN_KEYS), payload)
    .map(([steps, key, value]) => {
      const doc = structuredClone(base) as Record<string, unknown>;
      let node: Record<string, unknown> = doc;
      const path: string[] = [];
      for (const step of steps) {
        const keys = Object.keys(node).filter((k) => {
          const child = node[k];
          return child !== null && typeof child === 'object' && !Array.isArray(child);
        });
        if (keys.length === 0) break;
        const next = keys[step % keys.length] as string;
        path.push(next);
        node = node[next] as Record<string, unknown>;
      }
      Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
      return { doc, path: [...path, key] };
    });
}

/** Nothing may have reached Object.prototype. */
function expectCleanPrototype(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const key of ['bind', 'controlUi', 'mode', 'enabled', 'dmPolicy', 'allowFrom', 'isAdmin', 'polluted'])
    expect(probe[key]).toBeUndefined();
}
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

const dotted = (path: string[]) => path.join('.');

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ token: '424242:proto-fuzz-bot-token-abcdefghijk' });
});
afterAll(() => fake.close());

describe('__proto__ / constructor / prototype keys at every JSON boundary', () => {
  it('config file text and config.apply/validate: refused by dotted path, the live config unchanged', async () => {
    const initial = parseConfigValue(GUIDE, {});
    if (!initial.ok) throw new Error('guide config invalid');
    const persisted: unknown[] = [];
    const store = createConfigStore({
      initial: initial.value,
      env: {},
      persist: async (raw) => void persisted.push(raw),
    });
    const before = JSON.stringify(store.current().config);
    await fc.assert(
      fc.asyncProperty(injected(GUIDE), async ({ doc, path }) => {
        const text = JSON.stringify(doc);
        const parsed = await parseConfigText(text, {});
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.problems.map((p) => p.path)).toContain(dotted(path));
        expect(store.validate(JSON.parse(text)).map((p) => p.path)).toContain(dotted(path));
        await expect(store.apply(JSON.parse(text))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
        expect(JSON.stringify(store.current().config)).toBe(before);
        expect(persisted).toEqual([]);
        expectCleanPrototype();
      }),
      fuzzParams(),
    );
  });

  it(
    'config set (the CLI): refused, the file unchanged',
    async () => {
      const dir = tempStateDir('krab-fuzz-proto-');
      const path = join(dir, 'krabkrab.json');
      const original = `${JSON.stringify({ gateway: { mode: 'local' } })}\n`;
      writeFileSync(path, original);
      try {
        await fc.assert(
          fc.asyncProperty(injected(GUIDE.gateway), async ({ doc, path: at }) => {
            const result = await cli(['config', 'set', 'gateway', JSON.stringify(doc)], {
              krabkrab_STATE_DIR: dir,
            });
            expect(result.code).toBe(78);
            expect(result.stderr).toContain(`gateway.${dotted(at)}: not allowed as a config key`);
            expect(readFileSync(path, 'utf8')).toBe(original);
            expectCleanPrototype();
          }),
          fuzzParams(0.25),
        );
      } finally {
        removeDir(dir);
      }
    },
    fuzzTimeout(100, 0.25),
  );

  it(
    'WS frames and method params: one answer each, never INTERNAL, the config unchanged',
    async () => {
      const ctx = createTestContext({ config: GUIDE });
      const before = JSON.stringify(ctx.config());
      const h = openHarness(ctx, 'fuzz');
      h.connection.onMessage(
        JSON.stringify({
          type: 'req',
          id: 'c',
          method: 'connect',
          params: { protocol: 1, auth: { token: TEST_TOKEN } },
        }),
      );
      expect(await h.until(() => h.responses().length === 1)).toBe(true);
      const methods = [
        'status',
        'health',
        'config.get',
        'config.validate',
        'config.apply',
        'sessions.list',
        'cron.list',
        'chat.history',
      ];
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...methods),
          injected({ params: { config: GUIDE, limit: 5, sessionKey: 'main' }, meta: { a: { b: {} } } }),
          async (method, { doc }) => {
            const id = `r${++n}`;
            const answered = h.responses().length;
            h.connection.onMessage(JSON.stringify({ type: 'req', id, method, ...doc }));
            expect(await h.until(() => h.responses().length > answered)).toBe(true);
            await tick();
            const answer = h.responses().find((frame) => frame.id === id);
            expect(answer).toBeDefined();
            expect(answer?.error?.code).not.toBe('INTERNAL');
            expect(JSON.stringify(ctx.config())).toBe(before);
            expectCleanPrototype();
          },
        ),
        fuzzParams(),
      );
      expect(h.closes).toEqual([]);
      expect(ctx.lines.filter((line) => line.level === 'error')).toEqual([]);
    },
    fuzzTimeout(30),
  );

  it(
    'webhook bodies (Telegram): never a 5xx, nothing polluted',
    async () => {
      const secret = 'tg-webhook-secret-proto-fuzz';
      const models = createScriptedRouter();
      const ctx = createTestContext({
        env: {
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.origin,
          TELEGRAM_WEBHOOK_SECRET: secret,
        },
        config: { channels: { telegram: { enabled: true, dmPolicy: 'pairing' } } },
        models,
      });
      registerTelegramChannel(ctx);
      const app = createApp(ctx, { clientAddress: () => '149.154.167.220' });
      const update = {
        update_id: 1,
        message: {
          message_id: 2,
          date: 1,
          chat: { id: 42, type: 'private' },
          from: { id: 42, is_bot: false, first_name: 'a' },
          text: 'hi',
        },
      };
      await fc.assert(
        fc.asyncProperty(injected(update), async ({ doc }) => {
          const res = await app.request('/telegram/webhook', {
            method: 'POST',
            headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
            body: JSON.stringify(doc),
          });
          expect(res.status).toBeLessThan(500);
          expectCleanPrototype();
        }),
        fuzzParams(),
      );
      await ctx.settle();
      expect(
        ctx.lines.filter((line) => line.level === 'error' && /TypeError|prototype/.test(line.message)),
      ).toEqual([]);
    },
    fuzzTimeout(30),
  );

  it(
    'the OpenClaw import: the key is listed as not mapped and copied nowhere',
    async () => {
      const dir = tempStateDir('krab-fuzz-oc-');
      mkdirSync(join(dir, 'oc'));
      const openclaw = JSON5.parse(
        readFileSync(new URL('../fixtures/openclaw/full/openclaw.json', import.meta.url), 'utf8'),
      );
      try {
        await fc.assert(
          fc.asyncProperty(injected(openclaw), async ({ doc, path }) => {
            const result = importOpenClaw(
              { dir, configPath: join(dir, 'oc', 'openclaw.json'), config: doc, envFileNames: [] },
              {},
            );
            const text = JSON.stringify(result.config);
            for (const key of FORBIDDEN_KEYS) expect(text).not.toContain(`"${key}"`);
            const listed = result.notMapped.map((entry) => entry.path);
            // The key is listed itself, or inside a parent that was not mapped as a whole.
            expect(listed).toContain(formatDottedPath(path));
            expectCleanPrototype();
          }),
          fuzzParams(),
        );
      } finally {
        removeDir(dir);
      }
    },
    fuzzTimeout(20),
  );
});
