/**
 * The "wait until the fake has seen it" plumbing of the fake servers: the fake calls `wake()`
 * after each thing it records; `until(check)` resolves with the first value `check` returns that
 * is neither undefined nor false, checked at once and on every wake (and every `pollMs`, for
 * conditions outside the fake), and rejects with `timeoutMessage()` after `timeoutMs`.
 */
export interface Wakeup {
  wake(): void;
  until<T>(
    check: () => T | undefined | false,
    timeoutMs: number,
    timeoutMessage: () => string,
    pollMs?: number,
  ): Promise<T>;
}

export function createWakeup(): Wakeup {
  const waiters = new Set<() => void>();
  return {
    wake() {
      for (const waiter of [...waiters]) waiter();
    },
    until(check, timeoutMs, timeoutMessage, pollMs) {
      return new Promise((resolve, reject) => {
        const done = () => {
          waiters.delete(attempt);
          clearTimeout(timer);
          if (poll) clearInterval(poll);
        };
        const attempt = () => {
          const value = check();
          if (value === undefined || value === false) return;
          done();
          resolve(value);
        };
        const poll = pollMs === undefined ? undefined : setInterval(attempt, pollMs);
        const timer = setTimeout(() => {
          done();
          reject(new Error(timeoutMessage()));
        }, timeoutMs);
        waiters.add(attempt);
        attempt();
      });
    },
  };
}
