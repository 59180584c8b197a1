import { describe, expect, it } from 'vitest';
import { sleep } from '../../../src/core/runtime/sleep';
import { createManualClock } from '../../helpers/context';

describe('sleep', () => {
  it('ends when the clock has moved on by ms, not before', async () => {
    const clock = createManualClock();
    let woke = false;
    const done = sleep(clock, 1000).then(() => (woke = true));
    clock.advance(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await done;
    expect(woke).toBe(true);
  });

  it('ends at once when aborted, and leaves no timer behind', async () => {
    const clock = createManualClock();
    const abort = new AbortController();
    const done = sleep(clock, 60_000, abort.signal);
    abort.abort();
    await done;
    await sleep(clock, 60_000, abort.signal);
    expect(clock.pendingTimers()).toBe(0);
  });
});
