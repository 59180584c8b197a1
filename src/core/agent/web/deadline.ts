import type { Clock } from '../../runtime/clock';

/** A run's signal with a time limit on the manual-testable clock. */
export interface Deadline {
  signal: AbortSignal;
  /** True when the time limit ended the work, not the caller's own signal. */
  expired(): boolean;
  /** Stops the timer: call it when the work ends. */
  cancel(): void;
}

/** Aborts after `ms` on `clock`, or when `signal` (the run's) aborts. */
export function deadline(clock: Clock, ms: number, signal?: AbortSignal): Deadline {
  const controller = new AbortController();
  const cancel = clock.setTimer(() => controller.abort(), ms);
  return {
    signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    expired: () => controller.signal.aborted && !signal?.aborted,
    cancel,
  };
}
