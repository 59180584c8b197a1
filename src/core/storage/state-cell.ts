import type { Store } from './store';

/**
 * One serialized state object per key, the "itty-durable-like" state of the design card:
 * updates to one key run one at a time, each sees the previous one's result, and each is
 * persisted before its promise resolves. On Workers a Durable Object gives the same
 * guarantee across isolates; in one process this queue gives it.
 */
export interface StateCell<T> {
  get(): Promise<T | null>;
  /** Runs `fn` on the current value and persists what it returns (`undefined` deletes). */
  update<R extends T | undefined>(fn: (current: T | null) => R | Promise<R>): Promise<R>;
}

export interface StateCells {
  cell<T>(key: string): StateCell<T>;
}

export function createStateCells(store: Pick<Store, 'get' | 'set'>): StateCells {
  const tails = new Map<string, Promise<unknown>>();

  function enqueue<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    // Forget the queue once it drains, so idle keys cost no memory.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  }

  return {
    cell<T>(key: string): StateCell<T> {
      return {
        get: () => enqueue(key, () => store.get<T>(key)),
        update: (fn) =>
          enqueue(key, async () => {
            const next = await fn(await store.get<T>(key));
            await store.set(key, next);
            return next;
          }),
      };
    },
  };
}
