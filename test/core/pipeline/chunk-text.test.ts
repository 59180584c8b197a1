import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkText } from '../../../src/core/pipeline/chunk-text';

describe('chunkText', () => {
  it('keeps a short text whole and drops an empty one', () => {
    expect(chunkText('  hello  ', 100)).toEqual(['hello']);
    expect(chunkText('   ', 100)).toEqual([]);
  });

  it('splits on paragraph boundaries first', () => {
    const text = `${'a'.repeat(60)}\n\n${'b'.repeat(60)}\n\n${'c'.repeat(30)}`;
    expect(chunkText(text, 100)).toEqual(['a'.repeat(60), `${'b'.repeat(60)}\n\n${'c'.repeat(30)}`]);
  });

  it('falls back to lines, then words, then a hard cut', () => {
    expect(chunkText(`${'x'.repeat(50)}\n${'y'.repeat(50)}`, 60)).toEqual(['x'.repeat(50), 'y'.repeat(50)]);
    expect(
      chunkText('word '.repeat(30).trim(), 50).every(
        (c) => !c.startsWith(' ') && c.length <= 50 && /^(word ?)+$/.test(c),
      ),
    ).toBe(true);
    const hard = chunkText('z'.repeat(250), 100);
    expect(hard.join('')).toBe('z'.repeat(250));
    expect(hard.every((c) => c.length <= 100)).toBe(true);
  });

  it('closes a code fence at a cut and reopens it with its language', () => {
    const code = Array.from({ length: 30 }, (_, i) => `let v${i} = ${i};`).join('\n');
    const chunks = chunkText(`Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`, 200);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(200);
      expect((chunk.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(chunks[1]!.startsWith('```ts\n')).toBe(true);
    expect(chunks.at(-1)!.endsWith('Done.')).toBe(true);
  });

  it('never exceeds the limit and loses no words (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.stringMatching(/^[a-o]{1,30}$/),
            fc.constantFrom('\n', '\n\n', ' ', '\n```\n', '\n```zz\n'),
          ),
          { maxLength: 200 },
        ),
        fc.integer({ min: 20, max: 300 }),
        (parts, limit) => {
          const text = parts.join(' ');
          const chunks = chunkText(text, limit);
          for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
          // Fences and their language (z) may be added when a fence is cut; the words (a-o) all stay, in order.
          const letters = (s: string) => s.replace(/[^a-o]/g, '');
          expect(letters(chunks.join(''))).toBe(letters(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a silly limit', () => {
    expect(() => chunkText('x', 5)).toThrow(RangeError);
  });
});
