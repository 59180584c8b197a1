import { describe, expect, it } from 'vitest';
import { sendError } from '../../../src/core/channels/send-error';
import type { ChannelPreview } from '../../../src/core/channels/types';
import { parseConfigValue } from '../../../src/core/config/parse';
import { createLogHub } from '../../../src/core/log/logger';
import { createReplyPreview, PREVIEW_EDIT_EVERY_MS, previewFor } from '../../../src/core/pipeline/preview';
import { createManualClock } from '../../helpers/context';
import { createTestChannel } from '../../helpers/test-channel';

/** A preview that records each call with the manual clock's time and answers when the test says. */
function recordingPreview(clock: { now(): number }) {
  const calls: Array<{ kind: 'start' | 'edit'; text: string; at: number }> = [];
  let failNext: unknown;
  const answer = () => {
    const error = failNext;
    failNext = undefined;
    return error ? Promise.reject(error) : Promise.resolve();
  };
  const preview: ChannelPreview = {
    configured: () => undefined,
    start: async (_target, text) => {
      calls.push({ kind: 'start', text, at: clock.now() });
      await answer();
      return 'm1';
    },
    edit: async (_target, _id, text) => {
      calls.push({ kind: 'edit', text, at: clock.now() });
      await answer();
    },
    finish: async () => {},
  };
  const setFailNext = (error: unknown) => {
    failNext = error;
  };
  return { channelPreview: preview, calls, failNext: setFailNext };
}

/** Lets started calls settle (promise callbacks only; no time passes on any clock). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(textLimit = 4096) {
  const clock = createManualClock();
  const recording = recordingPreview(clock);
  const lines: string[] = [];
  const log = createLogHub({
    write: (record) => lines.push(record.line),
    now: clock.now,
    debug: true,
  }).logger;
  const stored: string[] = [];
  const preview = createReplyPreview({
    preview: recording.channelPreview,
    target: { channel: 'test', accountId: 'a', chatId: 'c1', replyToMessageId: '5' },
    clock,
    log,
    textLimit,
    onStarted: async (id) => void stored.push(id),
  });
  const delta = (text: string) => preview.onEvent({ type: 'delta', text });
  return { clock, preview, delta, stored, lines, ...recording };
}

describe('createReplyPreview (manual clock)', () => {
  it('sends at the first text, then edits at most once a second with what streamed meanwhile', async () => {
    const { clock, delta, calls, stored } = setup();
    delta('Hel');
    await settle();
    expect(calls).toEqual([{ kind: 'start', text: 'Hel', at: clock.now() }]);
    expect(stored).toEqual(['m1']);
    // Ten deltas over 2.5 s: edits at 1 s and 2 s only, each with everything streamed so far.
    for (let i = 0; i < 10; i++) {
      clock.advance(250);
      delta(` ${i}`);
      await settle();
    }
    const started = calls[0]!.at;
    expect(calls.slice(1)).toEqual([
      { kind: 'edit', text: 'Hel 0 1 2', at: started + 1000 },
      { kind: 'edit', text: 'Hel 0 1 2 3 4 5 6', at: started + 2000 },
    ]);
    clock.advance(PREVIEW_EDIT_EVERY_MS);
    await settle();
    expect(calls.at(-1)).toEqual({ kind: 'edit', text: 'Hel 0 1 2 3 4 5 6 7 8 9', at: started + 3000 });
    for (const [previous, next] of calls.slice(1).map((c, i) => [calls[i]!, c] as const))
      expect(next.at - previous.at).toBeGreaterThanOrEqual(PREVIEW_EDIT_EVERY_MS);
  });

  it('after close nothing else happens: no timer left, no call, however far the clock goes', async () => {
    const { clock, preview, delta, calls } = setup();
    delta('one');
    await settle();
    delta(' two');
    expect(clock.pendingTimers()).toBe(1);
    expect(await preview.close()).toBe('m1');
    expect(clock.pendingTimers()).toBe(0);
    delta(' three');
    clock.advance(60_000);
    await settle();
    expect(calls.map((c) => c.text)).toEqual(['one']);
  });

  it('close waits for the call in flight and for the message id to be recorded', async () => {
    const { preview, delta, stored } = setup();
    delta('quick');
    // No settle: the start is still in flight when the turn ends.
    expect(await preview.close()).toBe('m1');
    expect(stored).toEqual(['m1']);
  });

  it('a 429 defers the next edit by retry_after; other text keeps folding in', async () => {
    const { clock, delta, calls, failNext } = setup();
    delta('a');
    await settle();
    failNext(sendError('test', '429', { retryable: true, retryAfterMs: 5_000 }));
    clock.advance(1_000);
    delta(' b');
    await settle();
    expect(calls.map((c) => c.text)).toEqual(['a', 'a b']);
    const refusedAt = clock.now();
    delta(' c');
    clock.advance(4_999);
    await settle();
    expect(calls).toHaveLength(2);
    clock.advance(1);
    await settle();
    expect(calls.at(-1)).toEqual({ kind: 'edit', text: 'a b c', at: refusedAt + 5_000 });
  });

  it('a refused edit ends the preview (the turn goes on); a failed start means no preview at all', async () => {
    const refused = setup();
    refused.delta('a');
    await settle();
    refused.failNext(sendError('test', 'message to edit not found', { retryable: false }));
    refused.clock.advance(1_000);
    refused.delta(' b');
    await settle();
    refused.clock.advance(10_000);
    refused.delta(' c');
    await settle();
    expect(refused.calls.map((c) => c.text)).toEqual(['a', 'a b']);
    expect(await refused.preview.close()).toBe('m1');
    expect(refused.lines).toContainEqual(expect.stringContaining('reply preview in test chat c1 stopped'));

    const failed = setup();
    failed.failNext(new Error('network down'));
    failed.delta('a');
    await settle();
    expect(await failed.preview.close()).toBeUndefined();
    expect(failed.stored).toEqual([]);
  });

  it('shows the reply as the model loop returns it: rounds joined by a blank line, the first chunk only', async () => {
    const { clock, preview, delta, calls } = setup(40);
    preview.onEvent({ type: 'model', ref: 'test/model' });
    delta('Let me look.');
    preview.onEvent({ type: 'tool', name: 'read', args: {} });
    preview.onEvent({ type: 'model', ref: 'test/model' });
    delta('Found it.');
    await settle();
    clock.advance(1_000);
    await settle();
    expect(calls.map((c) => c.text)).toEqual(['Let me look.', 'Let me look.\n\nFound it.']);
    delta(' '.padEnd(30, 'x'));
    clock.advance(1_000);
    await settle();
    expect(calls.at(-1)!.text.length).toBeLessThanOrEqual(40);
    expect(calls.at(-1)!.text).toBe('Let me look.');
  });
});

describe('previewFor', () => {
  const config = (extra: Record<string, unknown>) => {
    const parsed = parseConfigValue({ owners: ['test:owner'], ...extra }, {});
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.value.config;
  };
  const channel = createTestChannel();
  const withPreview = (mode?: 'off' | 'edit') => ({
    ...channel,
    preview: { ...recordingPreview({ now: () => 0 }).channelPreview, configured: () => mode },
  });
  const dm = (sender: string) =>
    channel.message({ sender: { id: sender }, chat: { id: sender, kind: 'dm' } });
  const group = channel.message({ sender: { id: 'owner' }, chat: { id: 'g1', kind: 'group' } });

  it('defaults to edit in the owners DMs and off in groups and for everyone else', () => {
    expect(previewFor(config({}), dm('owner'), withPreview())).toBeDefined();
    expect(previewFor(config({}), dm('guest'), withPreview())).toBeUndefined();
    expect(previewFor(config({}), group, withPreview())).toBeUndefined();
  });

  it('follows the channel setting when set, and channels without previews have none', () => {
    expect(previewFor(config({}), dm('owner'), withPreview('off'))).toBeUndefined();
    expect(previewFor(config({}), group, withPreview('edit'))).toBeDefined();
    expect(previewFor(config({}), dm('owner'), channel)).toBeUndefined();
  });

  it('channels.<telegram|discord>.preview takes "off" or "edit" and nothing else', () => {
    expect(
      parseConfigValue({ channels: { telegram: { preview: 'edit' }, discord: { preview: 'off' } } }, {}).ok,
    ).toBe(true);
    const bad = parseConfigValue({ channels: { telegram: { preview: 'stream' } } }, {});
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain('channels.telegram.preview');
  });
});
