import type { LogRecord } from '../../src/core/log/logger';

/** Messages that only an exception nobody meant to throw produces. */
const CRASH =
  /TypeError|Cannot convert|ReferenceError|RangeError|Cannot read propert|is not a function|is not iterable|is not defined|Maximum call stack|\[object Object\]|undefined \(reading/;

/** Every secret found in the texts (by value, and by its first 12 characters for long ones). */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  return secrets.filter((secret) =>
    texts.some((text) => text.includes(secret) || (secret.length > 16 && text.includes(secret.slice(0, 12)))),
  );
}

/** A response as one text (status, headers, body), for secret checks. */
export async function responseText(res: Response): Promise<string> {
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${res.status}\n${headers}\n\n${await res.text()}`;
}

/** Log lines that show an unexpected exception (a crash caught by a generic handler). */
export function crashLines(lines: readonly LogRecord[]): string[] {
  return lines
    .filter((record) => record.level === 'error' && CRASH.test(record.line))
    .map((record) => record.line);
}
