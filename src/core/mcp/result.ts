import { wrapUntrusted } from '../agent/untrusted';
import { base64ByteLength } from '../base64';
import { GatewayError } from '../errors';
import { formatBytes } from '../media/format';
import type { McpCallResult } from './types';

/** Longest text kept from one tool result (the runtime cuts what reaches the model further). */
export const MAX_RESULT_CHARS = 100_000;

/**
 * A `CallToolResult` as the text the model gets, inside an untrusted block: text parts as they
 * are, images and audio as a short note (tool results are text here), embedded resources by
 * their text or URI, structured content as JSON when there is no text. Capped at
 * `MAX_RESULT_CHARS` whatever the server sent. `isError` results throw, so the model sees an error.
 */
export function resultText(source: string, result: McpCallResult): string {
  const parts: string[] = [];
  let size = 0;
  const add = (text: string) => {
    if (size >= MAX_RESULT_CHARS) return;
    const kept = text.length > MAX_RESULT_CHARS - size ? text.slice(0, MAX_RESULT_CHARS - size) : text;
    parts.push(kept);
    size += kept.length;
    if (kept.length < text.length)
      parts.push(`… [cut: the result was longer than ${MAX_RESULT_CHARS} characters]`);
  };
  for (const item of Array.isArray(result.content) ? result.content : []) add(partText(item));
  if (parts.length === 0 && result.structuredContent !== undefined)
    add(JSON.stringify(result.structuredContent) ?? '');
  const text = wrapUntrusted(source, parts.join('\n') || '(no content)');
  if (result.isError === true) throw new GatewayError('PROVIDER_ERROR', text);
  return text;
}

function partText(item: unknown): string {
  const part = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
  const size = (data: unknown) =>
    typeof data === 'string' ? `, ${formatBytes(base64ByteLength(data))}` : '';
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return `[${part.type} ${String(part.mimeType ?? '')}${size(part.data)}: not shown]`;
    case 'resource': {
      const resource = (part.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === 'string') return resource.text;
      return `[resource ${String(resource.uri ?? '')}${size(resource.blob)}]`;
    }
    case 'resource_link':
      return `[link ${String(part.uri ?? '')}${part.name ? ` (${String(part.name)})` : ''}]`;
    default:
      return `[${String(part.type ?? 'unknown')} content]`;
  }
}
