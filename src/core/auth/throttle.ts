import type { Clock } from '../runtime/clock';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  blockMs: number;
}

export const AUTH_THROTTLE: ThrottleOptions = { maxFailures: 10, windowMs: 60_000, blockMs: 60_000 };

/** Counts failed logins per address; past the limit the address is blocked for a while. */
export interface AuthThrottle {
  /** Milliseconds the address must still wait, or 0. */
  blockedFor(address: string): number;
  fail(address: string): void;
  succeed(address: string): void;
}

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

const MAX_TRACKED = 10_000;

export function createAuthThrottle(clock: Clock, options: ThrottleOptions = AUTH_THROTTLE): AuthThrottle {
  const entries = new Map<string, Entry>();

  function prune(now: number): void {
    if (entries.size < MAX_TRACKED) return;
    for (const [address, entry] of entries) {
      if (entry.blockedUntil <= now && now - entry.windowStart > options.windowMs) entries.delete(address);
    }
  }

  return {
    blockedFor(address) {
      const entry = entries.get(address);
      return entry ? Math.max(0, entry.blockedUntil - clock.now()) : 0;
    },
    fail(address) {
      const now = clock.now();
      prune(now);
      let entry = entries.get(address);
      if (!entry || now - entry.windowStart > options.windowMs) {
        entry = { windowStart: now, failures: 0, blockedUntil: 0 };
        entries.set(address, entry);
      }
      entry.failures += 1;
      if (entry.failures >= options.maxFailures) entry.blockedUntil = now + options.blockMs;
    },
    succeed(address) {
      const entry = entries.get(address);
      if (entry && entry.blockedUntil <= clock.now()) entries.delete(address);
    },
  };
}
