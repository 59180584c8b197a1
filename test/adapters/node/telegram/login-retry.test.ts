import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramRun } from '../../../../src/adapters/node/telegram/run';
import { startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../../helpers/context';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

/** Waits (bounded) for what an HTTP round trip to the fake makes true. */
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('telegram login (startTelegramRun, fake Bot API, manual clock)', () => {
  it('a 429 from getMe is waited out with the backoff, not taken for a rejected token', async () => {
    const bot = await startFakeBotApi();
    bot.behaviour.tooManyRequests.getMe = [1];
    const clock = createManualClock();
    const ctx = createTestContext({
      clock,
      env: { TELEGRAM_BOT_TOKEN: bot.token, TELEGRAM_API_ROOT: bot.origin },
      config: { gateway: { mode: 'local' }, channels: { telegram: { enabled: true } } },
    });
    const run = startTelegramRun(ctx);
    cleanup.push(async () => {
      await run?.stop();
      await bot.close();
    });
    const state = () => ctx.channels.statuses().telegram?.state ?? '';
    await until(() => state() === 'reconnecting' || state() === 'failed', 'the first login');
    expect(state()).toBe('reconnecting');
    const said = ctx.lines.filter((l) => l.line.startsWith('[telegram] login failed'));
    expect(said.map((l) => [l.level, l.line])).toEqual([
      ['warn', expect.stringMatching(/429.*; retrying in 0\.5 s$/)],
    ]);
    clock.advance(499);
    await ctx.settle();
    expect(bot.callsOf('getMe')).toHaveLength(1);
    clock.advance(1);
    await until(() => state() === 'connected', 'the login after the wait');
    expect(bot.callsOf('getMe')).toHaveLength(2);
    expect(ctx.lines.map((l) => l.line)).toContain('[telegram] logged in to telegram as @krab_test_bot');
  });
});
