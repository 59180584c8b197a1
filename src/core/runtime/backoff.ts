import type { Clock } from './clock';
import { sleep } from './sleep';

/** A backoff's schedule: the first delay, doubled after each wait up to `max` (ms). */
export interface BackoffSteps {
  first: number;
  max: number;
}

/**
 * The reconnect backoff of the channels' loops (Telegram's login and polling, Signal's event
 * stream, WhatsApp's Cloud login and Web socket, the generic channel login) and of ngrok's wait for
 * its URL. No jitter: each is one gateway's one connection, there is no crowd of clients to spread out.
 */
export interface Backoff {
  /** The delay the next `wait` takes, for the line that says "retrying in ...". */
  readonly delay: number;
  /** Waits `delay` on the clock (ends at once when `signal` aborts), then doubles it up to the cap. */
  wait(signal?: AbortSignal): Promise<void>;
  /** After a connection worked: the next wait is the first one again. */
  reset(): void;
}

export function createBackoff(clock: Clock, steps: BackoffSteps): Backoff {
  let delay = steps.first;
  return {
    get delay() {
      return delay;
    },
    async wait(signal) {
      await sleep(clock, delay, signal);
      delay = Math.min(delay * 2, steps.max);
    },
    reset() {
      delay = steps.first;
    },
  };
}
