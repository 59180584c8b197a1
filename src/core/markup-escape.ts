/** Escaping for text put into angle-bracket markup: XML, TwiML, Telegram's HTML, Slack's mrkdwn, prompt blocks. */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escapeOne = (ch: string) => ESCAPES[ch] as string;

/**
 * Text as an element's content: `&`, `<` and `>` only. Quotes stay as written (a model reads them,
 * Telegram knows no `&apos;`), and this is exactly what Slack's mrkdwn asks for.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>]/g, escapeOne);
}

/** Text that may also land in an attribute value (TwiML): quotes escaped too. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, escapeOne);
}
