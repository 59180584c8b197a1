import type { ModelRouter, RoutedEvent } from '../../src/core/providers/types';

export interface GatedRouter extends ModelRouter {
  /** Streams `text` as the next delta; resolves once the run took it and asked for more. */
  push(text: string): Promise<void>;
  /** Ends the answer (`done`). */
  end(): void;
  /** Model calls made so far. */
  calls(): number;
}

/**
 * A model that streams exactly what the test pushes, when it pushes it: for reply previews,
 * where what matters is which delta arrived at which (manual) time. One answer per call.
 */
export function createGatedRouter(): GatedRouter {
  const queue: Array<string | null> = [];
  let wake: (() => void) | undefined;
  let taken: Array<() => void> = [];
  let calls = 0;
  const release = () => {
    for (const resolve of taken) resolve();
    taken = [];
  };
  return {
    async *stream(request): AsyncIterable<RoutedEvent> {
      calls++;
      yield { type: 'model', ref: request.models[0] ?? 'test/model' };
      for (;;) {
        while (queue.length === 0) {
          release();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
        const piece = queue.shift();
        if (piece === null || piece === undefined) break;
        yield { type: 'text', delta: piece };
      }
      release();
      yield { type: 'done', stopReason: 'end', usage: { inputTokens: 1, outputTokens: 1 } };
    },
    push(text) {
      queue.push(text);
      const took = new Promise<void>((resolve) => taken.push(resolve));
      wake?.();
      return took;
    },
    end() {
      queue.push(null);
      wake?.();
    },
    calls: () => calls,
  };
}
