import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { type Block, parseMarkdown } from '../lib/markdown';
import type { Inline } from '../lib/markdown-inline';

/**
 * Past this many characters a reply still streaming shows only its tail, as plain text: parsing
 * and laying out all of it again on every delta would be quadratic. The whole reply renders once done.
 */
const STREAMING_PARSE_LIMIT = 50_000;

function inlines(nodes: Inline[]): ComponentChildren {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'break':
        return <br key={i} />;
      case 'em':
        return <em key={i}>{inlines(node.children)}</em>;
      case 'strong':
        return <strong key={i}>{inlines(node.children)}</strong>;
      case 'del':
        return <del key={i}>{inlines(node.children)}</del>;
      case 'link':
        // safeHref let only http(s) through; a new tab that cannot reach back into this page.
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">
            {inlines(node.children)}
          </a>
        );
      default:
        return null;
    }
  });
}

/** A code block with a Copy button (the clipboard API, else the code selected for Ctrl+C). */
function CodeBlock({ lang, text }: { lang: string; text: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const pre = useRef<HTMLPreElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard (a plain-http LAN address is not a secure context): select it for the user.
      const selection = window.getSelection();
      if (pre.current && selection) selection.selectAllChildren(pre.current);
      setState('select');
    }
    setTimeout(() => setState('idle'), 2000);
  }
  return (
    <div class="md-code">
      <div class="md-code-bar">
        <span class="muted">{lang}</span>
        <button
          type="button"
          class="small"
          onClick={() => void copy()}
          title={`Copy the ${lang || 'code'} block`}
        >
          {state === 'copied' ? 'Copied' : state === 'select' ? 'Press Ctrl+C' : 'Copy'}
        </button>
      </div>
      <pre ref={pre}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

const ALIGN_CLASS = { left: 'align-left', center: 'align-center', right: 'align-right' } as const;

function blocks(list: Block[]): ComponentChildren {
  return list.map((block, i) => {
    switch (block.type) {
      case 'heading': {
        // Inside a message the headings sit below the page's own: h1 -> h3 ... capped at h6.
        const Tag = `h${Math.min(6, block.level + 2)}` as 'h3';
        return (
          <Tag key={i} class={`md-h md-h${block.level}`}>
            {inlines(block.content)}
          </Tag>
        );
      }
      case 'paragraph':
        return <p key={i}>{inlines(block.content)}</p>;
      case 'code':
        return <CodeBlock key={i} lang={block.lang} text={block.text} />;
      case 'quote':
        return <blockquote key={i}>{blocks(block.children)}</blockquote>;
      case 'rule':
        return <hr key={i} />;
      case 'list': {
        const items = block.items.map((item, j) => (
          // A tight item of one paragraph shows its text without the paragraph's margins.
          <li key={j}>
            {item.length === 1 && item[0]?.type === 'paragraph' ? inlines(item[0].content) : blocks(item)}
          </li>
        ));
        return block.ordered ? (
          <ol key={i} start={block.start === 1 ? undefined : block.start}>
            {items}
          </ol>
        ) : (
          <ul key={i}>{items}</ul>
        );
      }
      case 'table':
        return (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways; the keyboard must reach it
          <div key={i} class="md-table" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  {block.head.map((cell, c) => (
                    <th key={c} class={ALIGN_CLASS[block.align[c] ?? 'left']}>
                      {inlines(cell)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {block.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c} class={block.align[c] ? ALIGN_CLASS[block.align[c]] : undefined}>
                        {inlines(cell)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      default:
        return null;
    }
  });
}

/** A reply's Markdown as Preact nodes: every piece of text is a text node, never HTML. */
export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const plain = streaming && text.length > STREAMING_PARSE_LIMIT;
  const parsed = useMemo(() => (plain ? undefined : parseMarkdown(text)), [text, plain]);
  if (!parsed)
    return (
      <div class="md">
        <p class="muted">… {Math.round(text.length / 1024)} KB so far</p>
        <p class="md-plain">{text.slice(-STREAMING_PARSE_LIMIT / 10)}</p>
      </div>
    );
  return <div class="md">{blocks(parsed)}</div>;
}
