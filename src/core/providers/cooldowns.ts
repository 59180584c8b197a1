import type { Store } from '../storage/store';
import type { CooldownView } from './types';

/** 30 s, then 1 min, then 5 min for a pair that fails again after its cooldown ended. */
export const COOLDOWN_LADDER_MS = [30_000, 60_000, 300_000] as const;
/** A `Retry-After` longer than this is capped (a broken header must not park a key for a day). */
const MAX_RETRY_AFTER_MS = 3_600_000;
/** A pair that stayed healthy this long after its cooldown starts the ladder again at 30 s. */
const FORGET_AFTER_MS = 3_600_000;
/** The whole book is one store value: small (a few keys x models) and written only on failures. */
export const COOLDOWNS_KEY = 'cooldowns:models';
/** Stands for "every model" in a key-wide cooldown (401/403). */
export const ALL_MODELS = '*';

interface CooldownEntry {
  until: number;
  failures: number;
  reason: string;
  /** The key's profile label and the model ref, for status. */
  label: string;
  ref: string;
}

export interface CooldownFailure {
  credentialId: string;
  label: string;
  /** `anthropic/claude-opus-4-5` or `anthropic/*`. */
  ref: string;
  /** The model id, or ALL_MODELS for the whole key. */
  model: string;
  reason: string;
  retryAfterMs?: number;
}

/**
 * Cooldowns per (key, model) pair and per key, kept in memory for fast checks and persisted in
 * the store (namespace `cooldowns:`) so a restart remembers them.
 */
export interface CooldownBook {
  load(): Promise<void>;
  /** When the pair or the whole key is cooling down at `now`, the later end time. */
  coolingUntil(credentialId: string, model: string, now: number): number | undefined;
  /** Records a failure; returns when the cooldown ends. */
  fail(failure: CooldownFailure, now: number): Promise<number>;
  /** A success clears the pair's (and the key's) cooldown and its ladder. */
  succeed(credentialId: string, model: string): Promise<void>;
  list(now: number): CooldownView[];
}

export function createCooldownBook(store: Store, onLoadError: (error: unknown) => void): CooldownBook {
  const entries = new Map<string, CooldownEntry>();
  let loading: Promise<void> | undefined;
  let writes: Promise<void> = Promise.resolve();
  const entryKey = (credentialId: string, model: string) => `${credentialId}|${model}`;

  function persist(now: number): Promise<void> {
    for (const [key, entry] of entries) if (entry.until + FORGET_AFTER_MS < now) entries.delete(key);
    const snapshot = Object.fromEntries(entries);
    writes = writes.then(() => store.set(COOLDOWNS_KEY, snapshot)).catch(onLoadError);
    return writes;
  }

  return {
    load() {
      loading ??= store
        .get<Record<string, CooldownEntry>>(COOLDOWNS_KEY)
        .then((saved) => {
          for (const [key, entry] of Object.entries(saved ?? {})) {
            if (!entries.has(key) && typeof entry?.until === 'number') entries.set(key, entry);
          }
        })
        .catch(onLoadError);
      return loading;
    },
    coolingUntil(credentialId, model, now) {
      const ends = [
        entries.get(entryKey(credentialId, model)),
        entries.get(entryKey(credentialId, ALL_MODELS)),
      ]
        .map((entry) => entry?.until ?? 0)
        .filter((until) => until > now);
      return ends.length > 0 ? Math.max(...ends) : undefined;
    },
    async fail(failure, now) {
      const key = entryKey(failure.credentialId, failure.model);
      const previous = entries.get(key);
      // Still cooling (a concurrent request hit the same wall): extend, do not climb the ladder.
      const failures =
        !previous || previous.until + FORGET_AFTER_MS < now
          ? 1
          : previous.until > now
            ? previous.failures
            : previous.failures + 1;
      const step =
        COOLDOWN_LADDER_MS[Math.min(failures, COOLDOWN_LADDER_MS.length) - 1] ?? COOLDOWN_LADDER_MS[0];
      const until = Math.max(
        previous && previous.until > now ? previous.until : 0,
        now + Math.max(step, Math.min(failure.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)),
      );
      entries.set(key, { until, failures, reason: failure.reason, label: failure.label, ref: failure.ref });
      await persist(now);
      return until;
    },
    async succeed(credentialId, model) {
      const removedPair = entries.delete(entryKey(credentialId, model));
      const removedKey = entries.delete(entryKey(credentialId, ALL_MODELS));
      if (removedPair || removedKey) await persist(0);
    },
    list(now) {
      return [...entries.values()]
        .filter((entry) => entry.until > now)
        .sort((a, b) => a.until - b.until)
        .map((entry) => ({
          ref: entry.ref,
          profile: entry.label,
          until: new Date(entry.until).toISOString(),
          remainingMs: entry.until - now,
          reason: entry.reason,
          failures: entry.failures,
        }));
    },
  };
}
