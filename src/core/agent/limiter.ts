/**
 * Bounds how many runs go at once across the gateway. The limit is read at each acquire, so a
 * config reload of `agents.defaults.maxConcurrent` applies to the next run.
 */
export interface RunLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

export function createRunLimiter(limit: () => number): RunLimiter {
  let running = 0;
  const queue: Array<() => void> = [];

  const pump = () => {
    while (running < Math.max(1, limit()) && queue.length > 0) {
      running++;
      queue.shift()?.();
    }
  };

  return {
    async run(task) {
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        pump();
      });
      try {
        return await task();
      } finally {
        running--;
        pump();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** Runs tasks one at a time per key (one session's turns never interleave); idle keys cost nothing. */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
