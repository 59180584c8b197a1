import type { Clock } from './clock';

/**
 * The one sleep: resolves after `ms` on `clock`, or at once when `signal` aborts (it never
 * rejects, so a loop just checks its own stop flag after waking). On a manual clock in tests,
 * `clock.advance()` ends it.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let cancel = () => {};
    const done = () => {
      cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    cancel = clock.setTimer(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
