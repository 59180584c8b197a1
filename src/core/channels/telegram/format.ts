import { escapeMarkup } from '../../markup-escape';

/**
 * Markdown as models write it, rendered as the HTML subset Telegram accepts
 * (https://core.telegram.org/bots/api#html-style): b, i, s, u, code, pre, a, blockquote,
 * tg-spoiler. Everything else is escaped text, so the only way Telegram can still reject the
 * result is an edge case of its own parser; the sender then retries as plain text.
 */
export function toTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  let quote: string[] = [];
  const flushQuote = () => {
    if (quote.length === 0) return;
    out.push(`<blockquote>${quote.map(renderInline).join('\n')}</blockquote>`);
    quote = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)\s*([\w+#.-]*)\s*$/.exec(line);
    if (fence) {
      flushQuote();
      const closer = fence[1]!;
      const body: string[] = [];
      // An unclosed fence (a reply cut in two) runs to the end, as Markdown renderers do.
      while (++i < lines.length && !lines[i]!.trim().startsWith(closer)) body.push(lines[i]!);
      const code = escapeMarkup(body.join('\n'));
      const lang = fence[2] ? ` class="language-${escapeMarkup(fence[2])}"` : '';
      out.push(`<pre><code${lang}>${code}</code></pre>`);
      continue;
    }
    const quoted = /^\s*>\s?(.*)$/.exec(line);
    if (quoted) {
      quote.push(quoted[1]!);
      continue;
    }
    flushQuote();
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) out.push(`<b>${renderInline(heading[1]!)}</b>`);
    else if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) out.push('──────────');
    else out.push(renderInline(line.replace(/^(\s*)[*+-]\s+/, '$1• ')));
  }
  flushQuote();
  return out.join('\n');
}

/** Inline rules, tried in order at each position: the first that matches wins. */
const INLINE: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^`([^`\n]+)`/, (m) => `<code>${escapeMarkup(m[1]!)}</code>`],
  [
    /^\[([^\]\n]+)\]\((https?:\/\/[^\s)]+|tg:\/\/[^\s)]+|mailto:[^\s)]+)\)/,
    (m) => `<a href="${escapeAttr(m[2]!)}">${renderInline(m[1]!)}</a>`,
  ],
  [/^\*\*(?=\S)([^\n]*?\S)\*\*/, (m) => `<b>${renderInline(m[1]!)}</b>`],
  [/^__(?=\S)([^\n]*?\S)__(?!\w)/, (m) => `<u>${renderInline(m[1]!)}</u>`],
  [/^~~(?=\S)([^\n]*?\S)~~/, (m) => `<s>${renderInline(m[1]!)}</s>`],
  [/^\|\|(?=\S)([^\n]*?\S)\|\|/, (m) => `<tg-spoiler>${renderInline(m[1]!)}</tg-spoiler>`],
  [/^\*(?=[^\s*])([^*\n]*?[^\s*])\*/, (m) => `<i>${renderInline(m[1]!)}</i>`],
  [/^_(?=[^\s_])([^_\n]*?[^\s_])_(?!\w)/, (m) => `<i>${renderInline(m[1]!)}</i>`],
];

/** Characters at which an inline rule may start; anything else is copied (escaped) in bulk. */
const SPECIAL = /[`[*_~|]/;

function renderInline(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const next = rest.search(SPECIAL);
    if (next !== 0) {
      const plain = next < 0 ? rest : rest.slice(0, next);
      out += escapeMarkup(plain);
      i += plain.length;
      continue;
    }
    // `_` inside a word (snake_case) is not emphasis.
    const wordBefore = i > 0 && /\w/.test(text[i - 1]!);
    let matched = false;
    for (const [pattern, render] of INLINE) {
      if (wordBefore && rest[0] === '_') break;
      const m = pattern.exec(rest);
      if (!m) continue;
      out += render(m);
      i += m[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      out += escapeMarkup(text[i]!);
      i += 1;
    }
  }
  return out;
}

function escapeAttr(text: string): string {
  return escapeMarkup(text).replace(/"/g, '&quot;');
}
