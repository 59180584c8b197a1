import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_DEPTH, parseMarkdown } from '../../src/ui/lib/markdown';
import { parseInline, safeHref } from '../../src/ui/lib/markdown-inline';

/** Runs `fn` and fails when it takes longer than `ms` (the parser must stay linear on hostile input). */
function within<T>(ms: number, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  expect(performance.now() - start).toBeLessThan(ms);
  return result;
}

function depthOf(blocks: ReturnType<typeof parseMarkdown>): number {
  let depth = 0;
  let level = blocks;
  for (;;) {
    const list = level.find((b) => b.type === 'list' || b.type === 'quote');
    if (!list) return depth;
    depth++;
    level = list.type === 'list' ? (list.items[0] ?? []) : list.children;
  }
}

describe('Markdown blocks', () => {
  it('parses headings, lists, quotes, code, tables and rules', () => {
    const blocks = parseMarkdown(
      [
        '# Title #',
        'Some **bold** and *em* text',
        'next line',
        '',
        '- one',
        '- two',
        '  - nested',
        '',
        '3. three',
        '4. four',
        '',
        '> quoted',
        '',
        '```ts',
        'const x = 1;',
        '',
        '```',
        '---',
        '| a | b:| c |',
        '|:-|--:|:-:|',
        '| 1 | 2 | `|` |',
      ].join('\n'),
    );
    expect(blocks.map((b) => b.type)).toEqual([
      'heading',
      'paragraph',
      'list',
      'list',
      'quote',
      'code',
      'rule',
      'table',
    ]);
    expect(blocks[0]).toEqual({ type: 'heading', level: 1, content: [{ type: 'text', text: 'Title' }] });
    expect(blocks[1]).toMatchObject({
      content: [
        { type: 'text', text: 'Some ' },
        { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
        { type: 'text', text: ' and ' },
        { type: 'em', children: [{ type: 'text', text: 'em' }] },
        { type: 'text', text: ' text' },
        { type: 'break' },
        { type: 'text', text: 'next line' },
      ],
    });
    expect(blocks[2]).toMatchObject({
      type: 'list',
      ordered: false,
      items: [[{ type: 'paragraph' }], [{ type: 'paragraph' }, { type: 'list' }]],
    });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true, start: 3 });
    expect(blocks[5]).toEqual({ type: 'code', lang: 'ts', text: 'const x = 1;\n' });
    expect(blocks[7]).toMatchObject({ type: 'table', align: ['left', 'right', 'center'] });
  });

  it('keeps raw HTML as text', () => {
    const [p] = parseMarkdown('<img src=x onerror=alert(1)> <div><script>alert(1)</script></div>');
    expect(p).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: '<img src=x onerror=alert(1)> <div><script>alert(1)</script></div>' }],
    });
  });

  it('caps nesting: 10,000 nested list levels or quotes parse fast and stop at the cap', () => {
    const lists = within(500, () => parseMarkdown(`${'- '.repeat(10_000)}x`));
    expect(depthOf(lists)).toBe(MAX_BLOCK_DEPTH);
    const quotes = within(500, () => parseMarkdown(`${'> '.repeat(10_000)}x`));
    expect(depthOf(quotes)).toBe(MAX_BLOCK_DEPTH);
    const indented = within(2000, () =>
      parseMarkdown(Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')),
    );
    expect(depthOf(indented)).toBe(MAX_BLOCK_DEPTH);
  });

  it('parses a 5 MB code block in one piece, and hostile inline runs in linear time', () => {
    const code = 'x'.repeat(5 * 1024 * 1024);
    const [block] = within(1000, () => parseMarkdown(`\`\`\`\n${code}\n\`\`\``));
    expect(block).toEqual({ type: 'code', lang: '', text: code });
    for (const hostile of [
      `${'*'.repeat(10_000)}x${'*'.repeat(10_000)}`,
      `${'['.repeat(10_000)}x${']'.repeat(10_000)}`,
      '`a '.repeat(10_000),
      '*a '.repeat(10_000),
      `# ${' '.repeat(100_000)}x`,
      `${'_a'.repeat(10_000)}`,
    ]) {
      const blocks = within(1000, () => parseMarkdown(hostile));
      expect(blocks.length).toBeGreaterThan(0);
    }
  });
});

describe('Markdown inline', () => {
  it('links only to http(s); javascript:, data: and relative targets stay text', () => {
    expect(parseInline('[ok](https://example.com/a?b=1)')).toEqual([
      { type: 'link', href: 'https://example.com/a?b=1', children: [{ type: 'text', text: 'ok' }] },
    ]);
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      '/relative',
      'vbscript:x',
    ]) {
      const nodes = parseInline(`[click](${bad})`);
      expect(nodes[0]).toEqual({ type: 'text', text: 'click' });
      expect(nodes.some((node) => node.type === 'link')).toBe(false);
      expect(safeHref(bad)).toBeUndefined();
    }
    expect(parseInline('see https://example.com/x. and <http://a.test>')).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'link',
        href: 'https://example.com/x',
        children: [{ type: 'text', text: 'https://example.com/x' }],
      },
      { type: 'text', text: '. and ' },
      { type: 'link', href: 'http://a.test/', children: [{ type: 'text', text: 'http://a.test' }] },
    ]);
  });

  it('code spans, escapes, strikethrough; snake_case stays text; no link inside a link', () => {
    expect(parseInline('`a*b*` \\*not em\\* ~~gone~~ snake_case_name')).toEqual([
      { type: 'code', text: 'a*b*' },
      { type: 'text', text: ' *not em* ' },
      { type: 'del', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' snake_case_name' },
    ]);
    expect(parseInline('[see https://a.test](https://b.test)')).toEqual([
      { type: 'link', href: 'https://b.test/', children: [{ type: 'text', text: 'see https://a.test' }] },
    ]);
  });
});
