import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { CallStatus } from '../../src/core/plugins/voice-call/calls';
import type { TestContext } from '../helpers/context';
import { sendableHeader } from './arbitraries';
import { crashLines, leakedSecrets, responseText } from './checks';

/** One gateway (context + hono app) for one fuzz case, and a count of everything it did outside. */
export interface WebhookWorld {
  ctx: TestContext;
  app: Hono;
  /** Calls made to fake far ends and to the model, so far. */
  outsideCalls(): number;
}

export interface WebhookCheck {
  world: WebhookWorld;
  request: Request;
  /** Judged independently of the handler: does the request carry a valid signature/secret? */
  genuine: boolean;
  secrets: readonly string[];
}

/** Everything the store holds, as one sorted list of keys (to see whether a request wrote anything). */
async function storeKeys(ctx: TestContext): Promise<string> {
  return (await ctx.store.keys('')).sort().join('\n');
}

/**
 * The webhook properties: no exception escapes `app.request`, never a 5xx, an unsigned request
 * is refused with a 4xx and changes nothing (no store write, no model or platform call, also
 * after background work settles), no secret in the response or any log line, no crash logged.
 */
export async function checkWebhook({ world, request, genuine, secrets }: WebhookCheck): Promise<number> {
  const { ctx, app } = world;
  const keysBefore = await storeKeys(ctx);
  const callsBefore = world.outsideCalls();
  const res = await app.request(request);
  const text = await responseText(res);
  await ctx.settle();
  expect(res.status, text).toBeLessThan(500);
  if (!genuine) {
    expect(res.status, `unsigned request answered ${text}`).toBeGreaterThanOrEqual(400);
    expect(await storeKeys(ctx)).toBe(keysBefore);
    expect(world.outsideCalls()).toBe(callsBefore);
  }
  expect(leakedSecrets([text, ...ctx.lines.map((line) => line.line)], secrets)).toEqual([]);
  expect(crashLines(ctx.lines)).toEqual([]);
  return res.status;
}

/** Sets a header when there is a value and fetch can send it (a fuzzed value may not be). */
export function setSendable(headers: Headers, name: string, value: string | null): void {
  if (value !== null && sendableHeader(value)) headers.set(name, value);
}

export type TimestampKind = 'now' | 'stale' | 'future' | 'junk' | 'missing' | 'float';

/** A case's signed timestamp (Unix seconds): fresh, `skewSeconds` old or ahead, fractional, junk, none. */
export function caseTimestamp(kind: TimestampKind, skewSeconds: number, junk: string): string | null {
  const now = Math.floor(Date.now() / 1000);
  return {
    now: String(now),
    stale: String(now - skewSeconds),
    future: String(now + skewSeconds),
    junk,
    missing: null,
    float: `${now}.5`,
  }[kind];
}

export type SignatureKind = 'valid' | 'other-key' | 'other-body' | 'mutated' | 'missing' | 'junk';

export interface SignatureCase {
  signature: SignatureKind;
  body: string;
  /** For `mutated`: the position of the one character replaced, and its replacement. */
  mutate: [number, string];
  junk: string;
}

/**
 * The signature header a case sends: valid, from another key, over another body (the body plus
 * `otherBodySuffix`), a valid one with one character replaced, junk, or none (null).
 */
export async function caseSignature(
  r: SignatureCase,
  sign: { ours(body: string): Promise<string>; other(body: string): Promise<string> },
  otherBodySuffix: string,
): Promise<string | null> {
  if (r.signature === 'valid') return sign.ours(r.body);
  if (r.signature === 'other-key') return sign.other(r.body);
  if (r.signature === 'other-body') return sign.ours(r.body + otherBodySuffix);
  if (r.signature === 'mutated') {
    const valid = await sign.ours(r.body);
    const [at, replacement] = r.mutate;
    return valid.slice(0, at) + replacement + valid.slice(at + 1);
  }
  return r.signature === 'junk' ? r.junk : null;
}

/** The call statuses the gateway knows: a Record, so the compiler holds it to the `CallStatus` type. */
const KNOWN_STATUSES: Record<CallStatus, true> = {
  queued: true,
  initiated: true,
  ringing: true,
  'in-progress': true,
  completed: true,
  busy: true,
  failed: true,
  'no-answer': true,
  canceled: true,
  rejected: true,
};
const CALL_STATUSES = Object.keys(KNOWN_STATUSES);

/** Whatever was signed, every call record keeps a status the gateway knows. */
export async function expectKnownCallStatuses(ctx: TestContext): Promise<void> {
  for (const key of await ctx.store.keys('calls:')) {
    const call = await ctx.store.get<{ status?: unknown }>(key);
    expect(CALL_STATUSES, `${key}: ${JSON.stringify(call)}`).toContain(call?.status);
  }
}
