import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDiscordText } from '../../../../src/core/channels/discord/split';

const fences = (text: string) => (text.match(/^\s*```/gm) ?? []).length;

describe('splitDiscordText', () => {
  it('keeps a short reply whole and drops an empty one', () => {
    expect(splitDiscordText('hello')).toEqual(['hello']);
    expect(splitDiscordText('   ')).toEqual([]);
  });

  it('cuts a long code block into parts that each close and reopen the fence with its language', () => {
    const code = Array.from(
      { length: 150 },
      (_, i) => `const value${i} = compute(${i}); // padding padding`,
    ).join('\n');
    const text = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`;
    const parts = splitDiscordText(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(fences(part) % 2).toBe(0);
    }
    expect(parts[1]!.startsWith('```ts\n')).toBe(true);
    expect(parts.at(-1)!.endsWith('Done.')).toBe(true);
    const rejoined = parts.join('\n').replace(/\n```\n```ts/g, '');
    expect(rejoined).toBe(text);
  });

  it('cuts a line longer than a message', () => {
    const parts = splitDiscordText('word '.repeat(1000).trim());
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ')).toBe('word '.repeat(1000).trim());
  });

  it('never exceeds the limit, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('```js'), fc.constant('```'), fc.string({ maxLength: 300 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 80, max: 400 }),
        (lines, limit) => {
          for (const part of splitDiscordText(lines.join('\n'), limit))
            expect(part.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 200 },
    );
  });
});
