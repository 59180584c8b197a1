import { escapeMarkup } from '../../markup-escape';

/**
 * Markdown (what the models write) as Slack's mrkdwn: `**b**` -> `*b*`, `*i*`/`_i_` -> `_i_`,
 * `~~s~~` -> `~s~`, `[t](url)` -> `<url|t>`, headings bold, list dashes as bullets; `&`, `<`
 * and `>` escaped everywhere as Slack requires; code spans and blocks otherwise left alone.
 * https://api.slack.com/reference/surfaces/formatting
 */
export function toSlackMrkdwn(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]+`)/g)
    .map((part, index) => (index % 2 === 1 ? escapeMarkup(part) : prose(part)))
    .join('');
}

function prose(text: string): string {
  const links: string[] = [];
  const withoutLinks = text.replace(
    /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g,
    (_, label: string, url: string) => {
      links.push(`<${url}|${escapeMarkup(label)}>`);
      return `\uE000${links.length - 1}\uE000`;
    },
  );
  return escapeMarkup(withoutLinks)
    .replace(/^#{1,6}\s+(.+)$/gm, '\uE001$1\uE001')
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_, a?: string, b?: string) => `\uE001${a ?? b}\uE001`)
    .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1_$2_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/^(\s*)[-*]\s+/gm, '$1• ')
    .replace(/\uE001/g, '*')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => links[Number(i)] ?? '');
}
