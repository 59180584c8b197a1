/**
 * Work that must finish after a response is sent (the agent run after a webhook's 200).
 * On Node the set is drained at SIGTERM; on Workers the adapter maps it to the platform's own.
 */
export interface PendingWork {
  waitUntil(promise: Promise<unknown>): void;
  readonly size: number;
  /** Resolves when all tracked work settled, or after `timeoutMs`; true if everything finished. */
  drain(timeoutMs: number, setTimer: (fn: () => void, ms: number) => () => void): Promise<boolean>;
}

export function createPendingWork(onError: (error: unknown) => void): PendingWork {
  const pending = new Set<Promise<unknown>>();
  return {
    waitUntil(promise) {
      const tracked = promise.catch(onError).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    get size() {
      return pending.size;
    },
    async drain(timeoutMs, setTimer) {
      if (pending.size === 0) return true;
      let cancel = () => {};
      const timedOut = new Promise<false>((resolve) => {
        cancel = setTimer(() => resolve(false), timeoutMs);
      });
      const settle = async (): Promise<true> => {
        while (pending.size > 0) await Promise.allSettled([...pending]);
        return true;
      };
      const done = await Promise.race([settle(), timedOut]);
      cancel();
      return done;
    },
  };
}
