export type ParsedDocument = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Parses the config editor's text; the error names the line so the owner can find it. */
export function parseJsonDocument(text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: withLine((error as Error).message, text) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, message: 'the config must be a JSON object { ... }' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Engines that report only `at position N` get the line added; Chromium already names it. */
export function withLine(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  return `${message} (line ${text.slice(0, Number(position[1])).split('\n').length})`;
}

/**
 * Where a dotted config path (`agents.defaults.maxConcurrent`, `bindings[0].match`) sits in
 * pretty-printed JSON text: the range of the line holding its last key. Best effort: array
 * indices are skipped, keys are found in order.
 */
export function lineOfPath(text: string, path: string): { start: number; end: number } | undefined {
  const keys = path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter(Boolean);
  let at = 0;
  let found = -1;
  for (const key of keys) {
    const match = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).exec(text.slice(at));
    if (!match) break;
    found = at + match.index;
    at = found + match[0].length;
  }
  if (found < 0) return undefined;
  const start = text.lastIndexOf('\n', found) + 1;
  const end = text.indexOf('\n', found);
  return { start, end: end < 0 ? text.length : end };
}
