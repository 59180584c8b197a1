import { describe, expect, it } from 'vitest';
import { MEMORY_FLUSH_PROMPT, planCompaction, SUMMARY_PREFIX } from '../../../src/core/agent/compaction';
import { transcriptTokens } from '../../../src/core/agent/trim';
import { GatewayError } from '../../../src/core/errors';
import type { ChatMessage, RoutedRequest } from '../../../src/core/providers/types';
import { createStoreWorkspaceFs } from '../../../src/core/workspace/store-fs';
import { createManualClock, createTestContext } from '../../helpers/context';
import { createScriptedRouter, lastUserText, type ScriptedReply } from '../../helpers/scripted-router';

const OWNER_KEY = 'agent:main:control:owner:main';
const GUEST_KEY = 'agent:main:telegram:default:42';
const isSummaryRequest = (request: RoutedRequest) =>
  request.system?.startsWith('You write the running summary') ?? false;
const isFlush = (request: RoutedRequest) => lastUserText(request) === MEMORY_FLUSH_PROMPT;

/** A model that summarizes, flushes memory (one memory_save, then NO_REPLY) and otherwise echoes. */
function scripted(options: { summaryFails?: boolean } = {}) {
  let flushed = false;
  return createScriptedRouter({
    respond(request): ScriptedReply {
      if (isSummaryRequest(request))
        return options.summaryFails
          ? { error: new GatewayError('UNAVAILABLE', 'all models failed: cheap/model HTTP 500') }
          : { text: '- The user plans a trip to Lisbon in May.\n- Prefers window seats.' };
      if (isFlush(request)) {
        if (flushed || request.messages.at(-1)?.role === 'tool') return { text: 'NO_REPLY' };
        flushed = true;
        return {
          text: '',
          toolCalls: [{ name: 'memory_save', arguments: '{"text":"Trip to Lisbon in May"}' }],
        };
      }
      return { text: `ok: ${lastUserText(request).slice(0, 20)}` };
    },
  });
}

const config = (compaction: Record<string, unknown> = {}) => ({
  agents: {
    defaults: {
      model: 'openai/gpt-4o',
      compaction: { thresholdTokens: 600, keepRecentTurns: 2, ...compaction },
    },
  },
});

/** ~106 tokens a turn: the sixth message is the first to pass the 600-token threshold. */
const long = (n: number) => `message ${n}: ${'lorem ipsum '.repeat(30)}`;

describe('planCompaction', () => {
  it('splits at whole turns only, so a tool call stays with its result', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'current_time', arguments: '{}' }] },
      { role: 'tool', toolCallId: 't1', name: 'current_time', content: 'noon' },
      { role: 'assistant', content: 'It is noon' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'B' },
      { role: 'user', content: 'c' },
      { role: 'assistant', content: '', toolCalls: [{ id: 't2', name: 'current_time', arguments: '{}' }] },
      { role: 'tool', toolCallId: 't2', name: 'current_time', content: 'one' },
      { role: 'assistant', content: 'C' },
    ];
    const plan = planCompaction(messages, { thresholdTokens: 10_000, keepRecentTurns: 1 });
    expect(plan?.turns).toBe(2);
    expect(plan?.older).toEqual(messages.slice(0, 6));
    expect(plan?.recent).toEqual(messages.slice(6));
    expect(planCompaction(messages.slice(0, 4), { thresholdTokens: 10, keepRecentTurns: 4 })).toBeUndefined();
  });

  it('keeps fewer recent turns (at least one) when the recent ones alone pass the threshold', () => {
    const turns = [1, 2, 3, 4, 5].map((n): ChatMessage[] => [
      { role: 'user', content: long(n) },
      { role: 'assistant', content: `reply ${n}` },
    ]);
    const perTurn = transcriptTokens(turns[0]!);
    const plan = planCompaction(turns.flat(), { thresholdTokens: perTurn * 2, keepRecentTurns: 4 });
    expect(plan?.recent).toEqual(turns.slice(3).flat());
    expect(plan?.turns).toBe(3);
    const tight = planCompaction(turns.flat(), { thresholdTokens: 1, keepRecentTurns: 4 });
    expect(tight?.recent).toEqual(turns[4]);
  });
});

describe('compaction', () => {
  it('replaces the oldest turns by a summary past the threshold, after a silent memory flush in an owner session', async () => {
    const clock = createManualClock(Date.UTC(2026, 2, 1, 10, 0));
    const models = scripted();
    const ctx = createTestContext({ config: config(), models, clock });
    for (let i = 1; i <= 5; i++) await ctx.agents.runTurn({ message: long(i), trust: 'owner' });
    const requestsBefore = models.requests.length;
    expect(models.requests.some(isSummaryRequest)).toBe(false);
    const result = await ctx.agents.runTurn({ message: long(6), trust: 'owner' });
    expect(result.text).toBe(`ok: ${long(6).slice(0, 20)}`);

    const extra = models.requests.slice(requestsBefore);
    // Flush (memory_save, then NO_REPLY), then the summary, then the turn itself.
    expect(extra.map((r) => (isFlush(r) ? 'flush' : isSummaryRequest(r) ? 'summary' : 'turn'))).toEqual([
      'flush',
      'flush',
      'summary',
      'turn',
    ]);
    expect(extra[2]!.tools).toBeUndefined();
    expect(lastUserText(extra[2]!)).toContain('message 1:');
    expect(lastUserText(extra[2]!)).not.toContain('message 4:');

    const record = (await ctx.agents.sessions.get(OWNER_KEY))!;
    const first = record.messages[0]!;
    expect(first.role).toBe('user');
    expect(first.content).toBe(
      `${SUMMARY_PREFIX} 3 earlier turn(s) summarized at 2026-03-01 10:00 UTC]\n- The user plans a trip to Lisbon in May.\n- Prefers window seats.`,
    );
    // The two most recent turns verbatim, then the new one; the flush left no trace in the transcript.
    expect(record.messages.slice(1).map((m) => (m.role === 'user' ? m.content : `A:${m.content}`))).toEqual([
      long(4),
      `A:ok: ${long(4).slice(0, 20)}`,
      long(5),
      `A:ok: ${long(5).slice(0, 20)}`,
      long(6),
      `A:ok: ${long(6).slice(0, 20)}`,
    ]);
    expect(record.compactions).toEqual([
      { at: clock.now(), turns: 3, summary: expect.stringContaining('Lisbon'), model: 'openai/gpt-4o' },
    ]);
    expect(record.turns).toBe(6);
    // What the flush saved is in today's note.
    const note = await createStoreWorkspaceFs(ctx.store, 'main', clock.now).read('memory/2026-03-01.md');
    expect(new TextDecoder().decode(note!.bytes)).toBe('# 2026-03-01\n\n- 10:00 Trip to Lisbon in May\n');
    expect(
      ctx.lines.some((l) =>
        /compacted agent:main:control:owner:main: 3 turn\(s\) into a summary by openai\/gpt-4o/.test(
          l.message,
        ),
      ),
    ).toBe(true);

    // The history method shows the marker; the next model request starts from the summary.
    const history = await ctx.agents.sessions.history(OWNER_KEY);
    expect(typeof history[0]!.content === 'string' && history[0]!.content.startsWith(SUMMARY_PREFIX)).toBe(
      true,
    );
    await ctx.agents.runTurn({ message: 'next', trust: 'owner' });
    expect(
      lastUserText({ ...models.requests.at(-1)!, messages: models.requests.at(-1)!.messages.slice(0, 1) }),
    ).toMatch(/^\[Compacted: 3 earlier turn/);
  });

  it('writes the summary with compaction.model first, and /compact <focus> forces it without a flush for guests', async () => {
    const models = scripted();
    const ctx = createTestContext({
      config: config({ model: 'cheap/model', thresholdTokens: 100_000 }),
      models,
    });
    for (let i = 1; i <= 4; i++)
      await ctx.agents.runTurn({ message: `turn ${i}`, sessionKey: GUEST_KEY, trust: 'guest' });
    expect(models.requests.every((r) => !isSummaryRequest(r))).toBe(true);
    // A guest may not force it...
    expect((await ctx.agents.runTurn({ message: '/compact', sessionKey: GUEST_KEY })).text).toMatch(
      /Only the owner/,
    );
    // ...the owner may, in their own session.
    for (let i = 1; i <= 4; i++) await ctx.agents.runTurn({ message: `turn ${i}`, trust: 'owner' });
    const before = models.requests.length;
    const reply = await ctx.agents.runTurn({ message: '/compact the travel dates', trust: 'owner' });
    expect(reply.text).toBe(
      'Compacted: 2 earlier turn(s) are now a summary; recent turns stay as they were.',
    );
    const summary = models.requests.slice(before).find(isSummaryRequest)!;
    expect(summary.models).toEqual(['cheap/model', 'openai/gpt-4o']);
    expect(summary.system).toContain('Pay particular attention to: the travel dates');
    const record = (await ctx.agents.sessions.get(OWNER_KEY))!;
    expect(record.compactions?.[0]).toMatchObject({ turns: 2, focus: 'the travel dates' });
  });

  it('keeps the session whole and usable when the summarizing model fails, with one log line', async () => {
    const models = scripted({ summaryFails: true });
    const ctx = createTestContext({ config: config(), models });
    for (let i = 1; i <= 5; i++)
      await ctx.agents.runTurn({ message: long(i), sessionKey: GUEST_KEY, trust: 'guest' });
    for (const message of [long(6), 'still there?']) {
      const result = await ctx.agents.runTurn({ message, sessionKey: GUEST_KEY, trust: 'guest' });
      expect(result.text).toBe(`ok: ${message.slice(0, 20)}`);
    }
    const record = (await ctx.agents.sessions.get(GUEST_KEY))!;
    expect(record.messages).toHaveLength(14);
    expect(record.compactions).toBeUndefined();
    const failures = ctx.lines.filter((l) => l.message.includes('compaction of'));
    expect(failures.map((l) => l.message)).toEqual([
      `compaction of ${GUEST_KEY} failed (all models failed: cheap/model HTTP 500); the transcript is kept whole`,
    ]);
    // No flush for a guest session.
    expect(models.requests.some(isFlush)).toBe(false);
  });
});
