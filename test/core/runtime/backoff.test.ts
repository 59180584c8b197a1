import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../src/core/runtime/backoff';
import { createManualClock } from '../../helpers/context';

/** Resolves once every promise callback queued so far has run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createBackoff', () => {
  it('waits first, then doubles up to the cap, each wait ending when the clock moved by exactly its delay', async () => {
    const clock = createManualClock();
    const backoff = createBackoff(clock, { first: 500, max: 3_000 });
    const waited: number[] = [];
    for (let i = 0; i < 5; i++) {
      const delay = backoff.delay;
      let woke = false;
      const done = backoff.wait().then(() => (woke = true));
      clock.advance(delay - 1);
      await settle();
      expect(woke).toBe(false);
      clock.advance(1);
      await done;
      waited.push(delay);
    }
    expect(waited).toEqual([500, 1_000, 2_000, 3_000, 3_000]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('starts over at the first delay after reset', async () => {
    const clock = createManualClock();
    const backoff = createBackoff(clock, { first: 1_000, max: 60_000 });
    for (let i = 0; i < 3; i++) {
      const done = backoff.wait();
      clock.advance(backoff.delay);
      await done;
    }
    expect(backoff.delay).toBe(8_000);
    backoff.reset();
    expect(backoff.delay).toBe(1_000);
  });

  it('ends a wait at once when aborted and leaves no timer behind', async () => {
    const clock = createManualClock();
    const backoff = createBackoff(clock, { first: 30_000, max: 60_000 });
    const abort = new AbortController();
    const done = backoff.wait(abort.signal);
    expect(clock.pendingTimers()).toBe(1);
    abort.abort();
    await done;
    expect(clock.pendingTimers()).toBe(0);
    // Nothing else happens: a wait on an aborted signal sets no timer either.
    await backoff.wait(abort.signal);
    expect(clock.pendingTimers()).toBe(0);
  });
});
