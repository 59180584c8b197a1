import { describe, expect, it } from 'vitest';
import { toTelegramHtml } from '../../../../src/core/channels/telegram/format';

describe('toTelegramHtml', () => {
  const cases: Array<[string, string]> = [
    ['plain & <safe>', 'plain &amp; &lt;safe&gt;'],
    ['**bold** and *italic* and _also_', '<b>bold</b> and <i>italic</i> and <i>also</i>'],
    ['~~gone~~ ||secret|| __under__', '<s>gone</s> <tg-spoiler>secret</tg-spoiler> <u>under</u>'],
    ['call `a<b>()` now', 'call <code>a&lt;b&gt;()</code> now'],
    [
      'see [the docs](https://core.telegram.org/bots/api?a=1&b="2")',
      'see <a href="https://core.telegram.org/bots/api?a=1&amp;b=&quot;2&quot;">the docs</a>',
    ],
    ['# Title\ntext', '<b>Title</b>\ntext'],
    ['- one\n* two', '• one\n• two'],
    ['> quoted\n> more\nafter', '<blockquote>quoted\nmore</blockquote>\nafter'],
    ['snake_case_name stays', 'snake_case_name stays'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['**unclosed bold', '**unclosed bold'],
    ['[js link](javascript:alert(1))', '[js link](javascript:alert(1))'],
  ];
  it.each(cases)('%j', (markdown, html) => {
    expect(toTelegramHtml(markdown)).toBe(html);
  });

  it('renders fenced code with its language and escapes it', () => {
    expect(toTelegramHtml('```ts\nconst a = 1 < 2 && **x**;\n```\nafter')).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; **x**;</code></pre>\nafter',
    );
  });

  it('closes a fence cut off by a split', () => {
    expect(toTelegramHtml('```\nhalf a block')).toBe('<pre><code>half a block</code></pre>');
  });

  it('never emits a tag that is not in the Telegram subset', () => {
    const html = toTelegramHtml('<script>x</script> <b>raw</b> **ok** [a](https://x.y) `c`');
    const tags = [...html.matchAll(/<\/?([a-z-]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['b', 'a', 'code']));
  });
});
