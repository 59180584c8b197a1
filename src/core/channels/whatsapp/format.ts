/**
 * Model Markdown to WhatsApp's own markup (*bold*, _italic_, ~strike~, ```mono```), never longer
 * than the input, so a chunk cut at 4096 characters still fits. Code blocks are left as they are.
 * https://faq.whatsapp.com/539178204879377
 */
export function toWhatsAppText(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```)/g)
    .map((part, index) => (index % 2 === 1 ? part : convert(part)))
    .join('');
}

function convert(text: string): string {
  return text
    .replace(/^#{1,6}\s+(.+?)\s*#*$/gm, '*$1*')
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*/g, '*$1*')
    .replace(/__(?=\S)([^_\n]+?)__/g, '_$1_')
    .replace(/~~(?=\S)([^~\n]+?)~~/g, '~$1~')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) =>
      label === url ? url : `${label} (${url})`,
    );
}
