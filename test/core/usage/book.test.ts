import memoryDriver from 'unstorage/drivers/memory';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/core/storage/store';
import { createUsageBook, MAX_ROWS_PER_DAY, RETENTION_DAYS } from '../../../src/core/usage/book';
import { createManualClock, createMemoryStore } from '../../helpers/context';

const DAY = 86_400_000;

function setup() {
  const store = createMemoryStore();
  const clock = createManualClock(Date.UTC(2026, 0, 10, 23, 0));
  return { store, clock, book: createUsageBook(store, clock.now) };
}

const call = (model: string, inputTokens: number, outputTokens: number, extra = {}) => ({
  model,
  agentId: 'main',
  channel: 'telegram',
  usage: { inputTokens, outputTokens, ...extra },
});

describe('usage book', () => {
  it('adds calls of one model, agent and channel into one row of the UTC day', async () => {
    const { book, store } = setup();
    await Promise.all([
      book.record(call('anthropic/claude-opus-4-5', 100, 10, { cacheReadTokens: 60, cacheWriteTokens: 20 })),
      book.record(call('anthropic/claude-opus-4-5', 50, 5)),
      book.record({ ...call('anthropic/claude-opus-4-5', 7, 1), channel: 'control' }),
    ]);
    expect(await store.keys('usage:')).toEqual(['usage:day:2026-01-10']);
    const [day] = await book.days(1);
    expect(day?.rows).toEqual([
      {
        model: 'anthropic/claude-opus-4-5',
        agentId: 'main',
        channel: 'telegram',
        requests: 2,
        inputTokens: 150,
        outputTokens: 15,
        cacheReadTokens: 60,
        cacheWriteTokens: 20,
      },
      expect.objectContaining({ channel: 'control', requests: 1, inputTokens: 7 }),
    ]);
  });

  it('sees a write that is still in flight (the turn does not wait for it)', async () => {
    const { book } = setup();
    void book.record(call('openai/gpt-4o', 1, 1));
    const [day] = await book.days(7);
    expect(day?.rows[0]?.requests).toBe(1);
  });

  it('starts a new rollup at UTC midnight and lists days newest first, within the asked span', async () => {
    const { book, clock } = setup();
    await book.record(call('openai/gpt-4o', 1, 1));
    clock.advance(2 * 60 * 60_000); // 01:00 on the 11th
    await book.record(call('openai/gpt-4o', 2, 2));
    expect((await book.days(2)).map((day) => day.date)).toEqual(['2026-01-11', '2026-01-10']);
    expect((await book.days(1)).map((day) => day.date)).toEqual(['2026-01-11']);
    // Out-of-range spans are clamped, not refused.
    expect(await book.days(0)).toHaveLength(1);
    expect(await book.days(10_000)).toHaveLength(2);
  });

  it(`keeps ${RETENTION_DAYS} days: the first write of a day prunes older rollups`, async () => {
    const { book, clock, store } = setup();
    await book.record(call('openai/gpt-4o', 1, 1));
    clock.advance((RETENTION_DAYS - 1) * DAY);
    await book.record(call('openai/gpt-4o', 1, 1));
    expect(await store.keys('usage:day:')).toHaveLength(2);
    clock.advance(DAY);
    await book.record(call('openai/gpt-4o', 1, 1));
    expect(await store.keys('usage:day:')).toEqual(['usage:day:2026-04-09', 'usage:day:2026-04-10']);
  });

  it(`folds new model/agent/channel pairs past ${MAX_ROWS_PER_DAY} rows into one row per model`, async () => {
    const { book } = setup();
    for (let i = 0; i < MAX_ROWS_PER_DAY + 5; i++)
      await book.record({ ...call('openai/gpt-4o', 1, 1), channel: `chan${i}` });
    const [day] = await book.days(1);
    expect(day?.rows).toHaveLength(MAX_ROWS_PER_DAY + 1);
    expect(day?.rows.at(-1)).toMatchObject({ agentId: '*', channel: '*', requests: 5 });
  });

  it('merges calls made during a write into the next one: at most one write waiting, whatever the rate', async () => {
    const driver = memoryDriver();
    const writes: string[] = [];
    const store = createStore({
      drivers: {
        default: {
          ...driver,
          setItem: (key: string, value: string, options: unknown) => {
            writes.push(key);
            return driver.setItem?.(key, value, options as never);
          },
        },
      },
    });
    const clock = createManualClock(Date.UTC(2026, 0, 10, 12));
    const book = createUsageBook(store, clock.now);
    const calls = Array.from({ length: 200 }, (_, i) =>
      book.record({ ...call('openai/gpt-4o', 10, 1), agentId: i % 2 ? 'main' : 'ops' }),
    );
    await Promise.all(calls);
    expect(writes.length).toBeLessThanOrEqual(2);
    const [day] = await book.days(1);
    expect(day?.rows.map((row) => [row.agentId, row.requests, row.inputTokens])).toEqual([
      ['ops', 100, 1000],
      ['main', 100, 1000],
    ]);
  });
});
