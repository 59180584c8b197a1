import { describe, expect, it } from 'vitest';
import { buildSessionKey, parseSessionKey } from '../../../src/core/agent/session-key';
import {
  estimateTokens,
  forStorage,
  newestTurnsWithin,
  splitTurns,
  transcriptTokens,
  trimToBudget,
} from '../../../src/core/agent/trim';
import type { ChatMessage } from '../../../src/core/providers/types';

const turn = (i: number, size = 400): ChatMessage[] => [
  { role: 'user', content: `q${i} ${'x'.repeat(size)}` },
  { role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'current_time', arguments: '{}' }] },
  { role: 'tool', toolCallId: `c${i}`, name: 'current_time', content: '{"iso":"..."}' },
  { role: 'assistant', content: `a${i}` },
];

describe('trimToBudget', () => {
  it('drops whole oldest turns so tool calls keep their results', () => {
    const messages = [1, 2, 3, 4, 5].flatMap((i) => turn(i));
    const perTurn = turn(1).reduce((n, m) => n + estimateTokens(m), 0);
    const kept = trimToBudget(messages, perTurn * 2 + 1);
    expect(kept).toEqual([4, 5].flatMap((i) => turn(i)));
    expect(splitTurns(kept)).toHaveLength(2);
  });

  it('always keeps the newest turn, even over budget', () => {
    expect(trimToBudget(turn(1, 10_000), 10)).toEqual(turn(1, 10_000));
  });

  it('counts the newest turns that fit, at most max, the newest always', () => {
    const turns = [1, 2, 3, 4, 5].map((i) => turn(i));
    const perTurn = transcriptTokens(turn(1));
    expect(perTurn).toBe(turn(1).reduce((n, m) => n + estimateTokens(m), 0));
    expect(newestTurnsWithin(turns, perTurn * 3)).toBe(3);
    expect(newestTurnsWithin(turns, perTurn * 3, 2)).toBe(2);
    expect(newestTurnsWithin(turns, 1)).toBe(1);
    expect(newestTurnsWithin([], 1000)).toBe(0);
  });

  it('drops messages that come before any user message', () => {
    expect(trimToBudget([{ role: 'assistant', content: 'orphan' }, ...turn(1)], 10_000)).toEqual(turn(1));
  });

  it('stores images as placeholders', () => {
    expect(
      forStorage({
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', mimeType: 'image/png', dataBase64: 'AAAA' },
        ],
      }),
    ).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'text', text: '[image image/png]' },
      ],
    });
    expect(
      forStorage({
        role: 'tool',
        toolCallId: 't1',
        name: 'read',
        content: '[a.png: image/png, 3 B, shown as an image]',
        images: [{ type: 'image', mimeType: 'image/png', dataBase64: 'AAAA' }],
      }),
    ).toEqual({
      role: 'tool',
      toolCallId: 't1',
      name: 'read',
      content: '[a.png: image/png, 3 B, shown as an image]\n[image image/png]',
    });
  });
});

describe('session keys', () => {
  it('escapes user-controlled parts so a key always has five safe segments', () => {
    const key = buildSessionKey({
      agentId: 'main',
      channel: 'telegram',
      accountOrChat: '-100:123',
      peer: '../evil/x',
    });
    expect(key).toBe('agent:main:telegram:-100%3a123:..%2fevil%2fx');
    expect(parseSessionKey(key)).toMatchObject({ accountOrChat: '-100%3a123' });
    expect(buildSessionKey({ agentId: 'main', channel: 'c', accountOrChat: '', peer: '..' })).toBe(
      'agent:main:c:-:%2e%2e',
    );
  });

  it('rejects malformed keys', () => {
    for (const bad of [
      'main',
      'agent:main:c:a',
      'agent:main:c:a:b:c',
      'session:main:c:a:b',
      'agent:main:c:a:..',
      'agent:main:c:a/b:c',
    ]) {
      expect(() => parseSessionKey(bad), bad).toThrow(/session key/);
    }
  });
});
