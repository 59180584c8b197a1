import type { GatewayContext } from '../../context';
import type { CallRecord } from './calls';

/** Each call's limit timer, per gateway (the context is only the key). */
const limits = new WeakMap<object, Map<string, () => void>>();

function limitsOf(ctx: object): Map<string, () => void> {
  let map = limits.get(ctx);
  if (!map) {
    map = new Map();
    limits.set(ctx, map);
  }
  return map;
}

/** Ends a call after `maxCallMinutes` (timed from when it was answered), through `end`. */
export function armCallLimit(
  ctx: Pick<GatewayContext, 'log' | 'clock' | 'waitUntil'>,
  call: Pick<CallRecord, 'provider' | 'id'>,
  ms: number,
  end: () => Promise<void>,
): void {
  const key = `${call.provider}:${call.id}`;
  limitsOf(ctx).get(key)?.();
  const cancel = ctx.clock.setTimer(() => {
    limitsOf(ctx).delete(key);
    ctx.log.scope('voice').info(`call ${call.id} reached maxCallMinutes; ending it`);
    ctx.waitUntil(
      end().catch((error) => ctx.log.scope('voice').error(`could not end call ${call.id}`, error)),
    );
  }, ms);
  limitsOf(ctx).set(key, cancel);
}

/** Cancels a call's limit timer (the context is only the key its timers are kept under). */
export function disarmCallLimit(ctx: object, call: Pick<CallRecord, 'provider' | 'id'>): void {
  const key = `${call.provider}:${call.id}`;
  limitsOf(ctx).get(key)?.();
  limitsOf(ctx).delete(key);
}

/** Whether a call has run past its limit (checked on every webhook as a backstop to the timer). */
export function overLimit(call: CallRecord, ms: number, now: number): boolean {
  return now - (call.answeredAt ?? call.createdAt) >= ms;
}
