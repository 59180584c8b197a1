import { afterEach, describe, expect, it } from 'vitest';
import { startPolling } from '../../../../src/adapters/node/telegram/polling';
import { telegramApi } from '../../../../src/core/channels/telegram/api';
import { GatewayError } from '../../../../src/core/errors';
import { createLogHub, type LogRecord } from '../../../../src/core/log/logger';
import { type FakeBotApi, startFakeBotApi, updates } from '../../../fakes/telegram-bot-api';
import { createManualClock } from '../../../helpers/context';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function poll(accept: (update: { update_id: number }) => Promise<unknown>) {
  const fake: FakeBotApi = await startFakeBotApi();
  const lines: LogRecord[] = [];
  const log = createLogHub({ write: (r) => lines.push(r), now: Date.now }).logger.scope('telegram');
  const states: string[] = [];
  const polling = startPolling({
    api: await telegramApi(fake.token, fake.origin),
    log,
    accept,
    onState: (s) => states.push(s),
  });
  cleanup.push(async () => {
    await polling.stop();
    await fake.close();
  });
  return { fake, lines, states };
}

describe('startPolling (real grammY, fake Bot API)', () => {
  it('does not confirm an update whose spooling failed, and asks for it again', async () => {
    let failures = 1;
    const accepted: number[] = [];
    const { fake, lines } = await poll(async (update) => {
      if (failures-- > 0) throw new Error('disk full');
      accepted.push(update.update_id);
    });
    await fake.waitForCall('getUpdates');
    const id = fake.pushUpdate(updates.privateText('keep me'));
    await fake.waitForCall('getUpdates', (c) => Number(c.params.offset) === id + 1);
    expect(accepted).toEqual([id]);
    // Between the failure and the success, no poll confirmed it.
    const offsets = fake.callsOf('getUpdates').map((c) => c.params.offset);
    expect(offsets.slice(0, offsets.indexOf(id + 1)).every((o) => o === undefined || Number(o) <= id)).toBe(
      true,
    );
    expect(lines.map((l) => l.line).join('\n')).toMatch(
      /could not spool update \d+, will ask for it again: disk full/,
    );
  });

  it('skips (and confirms) an update the pipeline refuses as bad input', async () => {
    const { fake, lines } = await poll(async () => {
      throw new GatewayError('BAD_REQUEST', 'inbound message without chat.id');
    });
    await fake.waitForCall('getUpdates');
    const id = fake.pushUpdate(updates.privateText('broken'));
    await fake.waitForCall('getUpdates', (c) => Number(c.params.offset) === id + 1);
    expect(lines.map((l) => l.line)).toContain(
      `[telegram] skipped update ${id}: inbound message without chat.id`,
    );
  });

  it('stops for good on a 401 and says so', async () => {
    const fake = await startFakeBotApi();
    const lines: LogRecord[] = [];
    const states: string[] = [];
    const log = createLogHub({ write: (r) => lines.push(r), now: Date.now }).logger.scope('telegram');
    const polling = startPolling({
      api: await telegramApi('999:wrong', fake.origin),
      log,
      accept: async () => {},
      onState: (s) => states.push(s),
    });
    cleanup.push(async () => {
      await polling.stop();
      await fake.close();
    });
    const deadline = Date.now() + 5_000;
    while (!states.includes('failed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(states).toEqual(['failed']);
    expect(lines.at(-1)?.line).toMatch(
      /\[telegram\] polling stopped: Telegram rejected the bot token \(401 Unauthorized\)/,
    );
  });

  it('waits out a failed poll on the clock it is given: 500 ms, then 1 s, nothing before; polls again when it ends', async () => {
    const fake = await startFakeBotApi();
    fake.behaviour.conflict = true;
    const clock = createManualClock();
    const lines: LogRecord[] = [];
    const states: string[] = [];
    const log = createLogHub({ write: (r) => lines.push(r), now: clock.now }).logger.scope('telegram');
    const polling = startPolling({
      api: await telegramApi(fake.token, fake.origin),
      log,
      clock,
      accept: async () => {},
      onState: (s) => states.push(s),
    });
    cleanup.push(async () => {
      await polling.stop();
      await fake.close();
    });
    const retrying = (n: number) => lines.filter((l) => /retrying in/.test(l.line)).length >= n;
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 5_000;
      while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => retrying(1));
    expect(lines.at(-1)?.line).toMatch(/409 Conflict.*; retrying in 500 ms$/);
    expect(fake.callsOf('getUpdates')).toHaveLength(1);
    // The wait is the clock's one timer: moving it short of the delay starts no poll.
    clock.advance(499);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    await fake.waitForCall('getUpdates', undefined, 5_000, 1);
    await until(() => retrying(2));
    expect(lines.at(-1)?.line).toMatch(/; retrying in 1 s$/);
    clock.advance(999);
    expect(clock.pendingTimers()).toBe(1);
    fake.behaviour.conflict = false;
    clock.advance(1);
    await until(() => states.includes('connected'));
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(fake.callsOf('getUpdates').length).toBeGreaterThanOrEqual(3);
  });
});
