import { describe, expect, it } from 'vitest';
import { restartOnChange } from '../../../src/adapters/node/restart-on-change';
import { parseConfigValue } from '../../../src/core/config/parse';
import { createTestContext, type TestContext } from '../../helpers/context';

/** Makes `channels.telegram.dmPolicy` the given one current, as a reload of krabkrab.json does. */
function reload(ctx: TestContext, dmPolicy: string) {
  const parsed = parseConfigValue({ channels: { telegram: { dmPolicy } } }, {});
  if (!parsed.ok) throw new Error('bad test config');
  ctx.configStore.replace(parsed.value);
}

/** Lets the queued restarts run to the end: promise chains only, no timers, so one turn of the loop drains them. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness(ctx: TestContext, fail: (n: number) => 'start' | 'stop' | undefined) {
  const events: string[] = [];
  let starts = 0;
  const service = restartOnChange({
    ctx,
    scope: 'test',
    restarting: 'config changed, restarting',
    signature: () => ctx.config().channels?.telegram?.dmPolicy ?? 'none',
    start() {
      const n = ++starts;
      if (fail(n) === 'start') throw new Error(`start ${n} failed`);
      events.push(`start ${n}`);
      return {
        async stop() {
          if (fail(n) === 'stop') throw new Error(`stop ${n} failed`);
          events.push(`stop ${n}`);
        },
      };
    },
  });
  return { service, events };
}

describe('restartOnChange', () => {
  it('restarts on a change of the signature only, one restart after the other', async () => {
    const ctx = createTestContext();
    const { service, events } = harness(ctx, () => undefined);
    const running = await service;
    for (const dmPolicy of ['open', 'open', 'allowlist']) {
      reload(ctx, dmPolicy);
      await flush();
    }
    expect(events).toEqual(['start 1', 'stop 1', 'start 2', 'stop 2', 'start 3']);
    // Changes that land while a restart is queued are read when it runs: one restart for both.
    reload(ctx, 'open');
    reload(ctx, 'pairing');
    await flush();
    expect(events.slice(5)).toEqual(['stop 3', 'start 4']);
    await running.stop();
    expect(events.at(-1)).toBe('stop 4');
  });

  // The Telegram service had no `.catch` on its restart chain: one failed restart rejected the
  // chain, and every later config change was silently ignored.
  it('a failed restart is logged and later changes still restart', async () => {
    const ctx = createTestContext();
    const { service, events } = harness(ctx, (n) => (n === 2 ? 'start' : undefined));
    const running = await service;
    reload(ctx, 'open');
    await flush();
    expect(ctx.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'restart after a config change failed: start 2 failed',
    ]);
    reload(ctx, 'allowlist');
    await flush();
    expect(events).toEqual(['start 1', 'stop 1', 'start 3']);
    await running.stop();
    expect(events.at(-1)).toBe('stop 3');
  });

  it('a run that fails to stop does not keep the next one from starting', async () => {
    const ctx = createTestContext();
    const { service, events } = harness(ctx, (n) => (n === 1 ? 'stop' : undefined));
    const running = await service;
    reload(ctx, 'open');
    await flush();
    // The change that failed is retried by the next change, even with the same signature.
    reload(ctx, 'open');
    await flush();
    expect(events).toEqual(['start 1', 'start 2']);
    await running.stop();
  });
});
