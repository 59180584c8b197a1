import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { TestContext } from '../helpers/context';
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
