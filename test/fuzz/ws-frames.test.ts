// Fuzz: the control protocol's frame parser and handshake (openControlConnection over a fake
// socket). Random text, JSON and binary frames, mutated connect frames and tokens, sent one by
// one or in bursts. Properties: onMessage never throws; one response per frame while the socket
// is open, none after it closed; nothing succeeds before a connect with exactly the right token;
// a well-formed request other than that closes the socket (1008); never an INTERNAL error; no
// secret in any frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectParams, MAX_FRAME_BYTES, requestFrame } from '../../src/core/protocol/frames';
import { METHODS } from '../../src/core/protocol/methods/index';
import { createTestContext } from '../helpers/context';
import { jsonValue, junkText, mutatedJson, mutatedString } from './arbitraries';
import { crashLines, leakedSecrets } from './checks';
import { fuzzParams, fuzzTimeout } from './settings';
import { openHarness, tick } from './ws-harness';

const TOKEN = 'gw-fuzz-token-SECRET-0123456789abcdef';
const API_KEY = 'sk-ant-fuzz-SECRET-abcdefghijklmnop';
const SECRETS = [TOKEN, API_KEY];

const connectFrame = (token: string, id: unknown = 'c1') => ({
  type: 'req',
  id,
  method: 'connect',
  params: { protocol: 1, auth: { token }, client: { name: 'fuzz', version: '1' } },
});

const token = fc.oneof(
  { weight: 2, arbitrary: fc.constant(TOKEN) },
  { weight: 3, arbitrary: mutatedString(TOKEN) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      TOKEN.toUpperCase(),
      ` ${TOKEN}`,
      `${TOKEN}\n`,
      TOKEN.slice(0, -1),
      `Bearer ${TOKEN}`,
    ),
  },
  { weight: 1, arbitrary: junkText },
);
const requestId = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.integer(), jsonValue);
const method = fc.oneof(fc.constantFrom('connect', ...Object.keys(METHODS)), junkText);

const frameValue = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(token, requestId).map(([t, id]) => connectFrame(t, id)) },
  { weight: 3, arbitrary: mutatedJson(connectFrame(TOKEN)) },
  {
    weight: 2,
    arbitrary: fc.record(
      { type: fc.constant('req'), id: requestId, method, params: jsonValue },
      { requiredKeys: ['type', 'id', 'method'] },
    ),
  },
  { weight: 1, arbitrary: jsonValue },
);

type Frame = string | Uint8Array | ArrayBuffer;
const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 6, arbitrary: frameValue.map((value) => JSON.stringify(value) ?? 'undefined') },
  { weight: 2, arbitrary: frameValue.chain((value) => mutatedString(JSON.stringify(value) ?? '')) },
  { weight: 1, arbitrary: junkText },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: frameValue.map(
      (value) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'x'.repeat(MAX_FRAME_BYTES + 1),
      `{"type":"req","id":"big","method":"health","params":"${'y'.repeat(MAX_FRAME_BYTES)}"}`,
    ),
  },
);

/** What the frame is, judged from the outside: not a request, a request, or the right connect. */
function classify(data: Frame): 'junk' | 'request' | 'good-connect' {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  if (text.length > MAX_FRAME_BYTES) return 'junk';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'junk';
  }
  const parsed = requestFrame.safeParse(json);
  if (!parsed.success) return 'junk';
  const params = connectParams.safeParse(parsed.data.params);
  return parsed.data.method === 'connect' && params.success && params.data.auth.token === TOKEN
    ? 'good-connect'
    : 'request';
}

describe('fuzz: WS control frames and handshake', () => {
  it(
    'one answer per frame while open, nothing accepted without the right token, never a crash',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(frame, { minLength: 1, maxLength: 5 }),
          fc.boolean(),
          async (frames, burst) => {
            const ctx = createTestContext({ token: TOKEN, env: { ANTHROPIC_API_KEY: API_KEY } });
            const h = openHarness(ctx, `10.0.${frames.length}.1`);
            expect(h.sent[0]?.event).toBe('connect.challenge');
            let state: 'challenged' | 'ready' | 'closed' = 'challenged';
            if (burst) {
              for (const data of frames) h.connection.onMessage(data);
              await h.until(() => h.responses().length >= frames.length || h.closes.length > 0, 2000);
              await tick();
              expect(h.responses().length).toBeLessThanOrEqual(frames.length);
              const good = frames.map(classify);
              // Only a good connect can open the door, and only a connection it opened answers ok.
              if (!good.includes('good-connect')) expect(h.responses().filter((r) => r.ok)).toEqual([]);
            } else {
              for (const data of frames) {
                const kind = classify(data);
                const before = h.responses().length;
                const closedBefore = h.closes.length > 0;
                h.connection.onMessage(data);
                if (closedBefore) {
                  await tick();
                  expect(h.responses().length).toBe(before);
                  continue;
                }
                expect(await h.until(() => h.responses().length > before, 3000)).toBe(true);
                await tick();
                const answers = h.responses().slice(before);
                expect(answers).toHaveLength(1);
                const [answer] = answers;
                if (state === 'challenged') {
                  if (kind === 'good-connect') {
                    expect(answer).toMatchObject({ ok: true, payload: { type: 'hello-ok' } });
                    state = 'ready';
                  } else {
                    expect(answer!.ok).toBe(false);
                    if (kind === 'request') {
                      expect(h.closes).toEqual([{ code: 1008, reason: expect.any(String) }]);
                      state = 'closed';
                    }
                  }
                }
                if (answer!.ok === false) expect(answer!.error!.code).not.toBe('INTERNAL');
              }
            }
            await ctx.settle();
            expect(leakedSecrets([...h.raw, ...ctx.lines.map((l) => l.line)], SECRETS)).toEqual([]);
            expect(crashLines(ctx.lines)).toEqual([]);
            h.connection.onClose();
          },
        ),
        fuzzParams(),
      );
    },
    fuzzTimeout(20),
  );
});
