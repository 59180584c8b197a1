/**
 * HTML to readable Markdown: the page's main content (Mozilla's Readability, as Firefox's reader
 * view) over linkedom's light DOM, which also runs on Workers, then node-html-markdown. All three
 * load on the first fetched page, never at start.
 */
export async function htmlToMarkdown(html: string, url: string): Promise<{ title?: string; text: string }> {
  const [{ parseHTML }, { Readability }, { NodeHtmlMarkdown }] = await Promise.all([
    import('linkedom'),
    import('@mozilla/readability'),
    import('node-html-markdown'),
  ]);
  const { document } = parseHTML(html);
  for (const node of document.querySelectorAll(
    'script, style, noscript, template, iframe, object, embed, svg, canvas',
  ))
    node.remove();
  const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
  let content: string | undefined;
  let title = pageTitle;
  try {
    // Readability changes the document it reads: give it a copy, so the fallback below sees the page whole.
    const article = new Readability(document.cloneNode(true) as unknown as Document, {
      charThreshold: 200,
    }).parse();
    if (article?.content && article.textContent?.trim()) {
      content = article.content;
      title = article.title?.trim() || pageTitle;
    }
  } catch {
    // A page Readability cannot make sense of is converted whole (below).
  }
  content ??= document.querySelector('body')?.innerHTML ?? html;
  const text = NodeHtmlMarkdown.translate(content, { keepDataImages: false }, undefined, undefined);
  return { ...(title ? { title } : {}), text: absoluteLinks(text, url).trim() };
}

/** Relative links in the Markdown made absolute against the page URL, so the model can follow them. */
function absoluteLinks(markdown: string, base: string): string {
  return markdown.replace(/\]\((\/[^)\s]*|\.{1,2}\/[^)\s]*)\)/g, (whole, href: string) => {
    try {
      return `](${new URL(href, base).href})`;
    } catch {
      return whole;
    }
  });
}
