import type { GatewayContext } from '../../context';
import { DAY_MS, dayBucket } from '../../pipeline/spool';

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface SeenWebhook {
  at: number;
  /** The answer given the first time, returned again to a repeat. */
  body?: string;
}

/**
 * Runs a webhook's work once per distinct signed request. A repeat of the very same request (a
 * platform retry, or a captured request replayed) gets the first answer back and changes
 * nothing. Records sit in the pipeline's day buckets (`dedupe:d<day>:...`), pruned with them.
 */
export async function oncePerWebhook(
  ctx: Pick<GatewayContext, 'store' | 'clock'>,
  kind: string,
  identity: string,
  work: () => Promise<string>,
): Promise<{ body: string; repeat: boolean } | { inFlight: true }> {
  const hash = await sha256Hex(identity);
  const now = ctx.clock.now();
  const key = (at: number) => `dedupe:${dayBucket(at)}:${kind}:${hash}`;
  const earlier =
    (await ctx.store.get<SeenWebhook>(key(now))) ?? (await ctx.store.get<SeenWebhook>(key(now - DAY_MS)));
  if (earlier) return earlier.body === undefined ? { inFlight: true } : { body: earlier.body, repeat: true };
  if (!(await ctx.store.claim(key(now), { at: now } satisfies SeenWebhook))) return { inFlight: true };
  try {
    const body = await work();
    await ctx.store.set(key(now), { at: now, body } satisfies SeenWebhook);
    return { body, repeat: false };
  } catch (error) {
    // A failed attempt may be retried by the platform.
    await ctx.store.remove(key(now));
    throw error;
  }
}
