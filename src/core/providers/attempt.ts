import type { Clock } from '../runtime/clock';
import { classifyFailure, type ProviderFailure } from './failure';
import type { ModelEvent, Provider, ProviderRequest } from './types';

/** What one attempt (one key, one model) produced: events as they come, then how it ended. */
export type AttemptStep =
  | { type: 'event'; event: ModelEvent }
  | { type: 'failed'; failure: ProviderFailure; error: unknown };

export interface AttemptOptions {
  provider: Provider;
  request: Omit<ProviderRequest, 'signal'>;
  clock: Clock;
  /** Idle timeout: no event for this long aborts the attempt. */
  timeoutMs: number;
  /** The caller's signal: aborting it ends the attempt with its reason, thrown. */
  signal?: AbortSignal;
}

/**
 * Runs one provider stream under a watchdog on `clock` (so tests drive it with a manual clock):
 * no event for `timeoutMs` aborts the request and reports a `timeout` failure. Every wait is
 * raced against the abort, so an SDK that ignores its signal cannot hang the router. Stops at
 * the first `done` or failure; a caller abort is thrown, not reported.
 */
export async function* runAttempt(options: AttemptOptions): AsyncGenerator<AttemptStep> {
  const { clock, timeoutMs, signal } = options;
  const controller = new AbortController();
  let timedOut = false;
  let lastProgress = clock.now();
  // One timer that re-arms itself for the rest of the idle window, rather than a new timer per event.
  const onTimer = () => {
    const idle = clock.now() - lastProgress;
    if (idle < timeoutMs) {
      cancelTimer = clock.setTimer(onTimer, timeoutMs - idle);
      return;
    }
    timedOut = true;
    controller.abort(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
  };
  if (signal?.aborted) throw signal.reason;
  let cancelTimer = clock.setTimer(onTimer, timeoutMs);
  const onCallerAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);

  const iterator = options.provider
    .stream({ ...options.request, signal: controller.signal })
    [Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<ModelEvent>;
      try {
        step = await Promise.race([iterator.next(), aborted]);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const failure = timedOut
          ? { kind: 'timeout' as const, message: `no answer within ${Math.round(timeoutMs / 1000)} s` }
          : classifyFailure(error, clock.now());
        yield { type: 'failed', failure, error };
        return;
      }
      if (step.done) {
        // Providers end with `done`; a stream that just stops was cut.
        yield {
          type: 'failed',
          failure: { kind: 'network', message: 'the stream ended early' },
          error: undefined,
        };
        return;
      }
      lastProgress = clock.now();
      yield { type: 'event', event: step.value };
      if (step.value.type === 'done') {
        finished = true;
        return;
      }
    }
  } finally {
    cancelTimer();
    signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) controller.abort(new Error('attempt abandoned'));
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
}
