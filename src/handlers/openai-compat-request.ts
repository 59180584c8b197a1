import { GatewayError } from '../core/errors';
import type { ChatMessage, ContentPart } from '../core/providers/types';
import * as z from '../core/zod';

const part = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string(), detail: z.string().optional() }),
  }),
]);

const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
});

/** The request body of OpenAI's Chat Completions, as much of it as the gateway uses (other fields are ignored). */
export const chatCompletionsBody = z.object({
  model: z.string().min(1).max(128),
  messages: z.array(message).min(1).max(2000),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().max(256).nullish(),
});

export type ChatCompletionsBody = z.infer<typeof chatCompletionsBody>;

function toContent(content: ChatCompletionsBody['messages'][number]['content']): string | ContentPart[] {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((item): ContentPart => {
    if (item.type === 'text') return { type: 'text', text: item.text };
    const match = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)$/.exec(item.image_url.url);
    if (!match)
      throw new GatewayError(
        'BAD_REQUEST',
        'image_url must be a data: URL with base64 image bytes (the gateway fetches no URLs)',
      );
    return { type: 'image', mimeType: match[1]!, dataBase64: match[2]!.replace(/\s+/g, '') };
  });
}

function textOf(content: string | ContentPart[]): string {
  return typeof content === 'string'
    ? content
    : content.map((item) => (item.type === 'text' ? item.text : '')).join('');
}

/** The conversation split as the runtime wants it: system text, earlier turns, the new user message. */
export function toTurn(messages: ChatCompletionsBody['messages']): {
  system: string;
  history: ChatMessage[];
  last: string | ContentPart[];
} {
  const last = messages.at(-1)!;
  if (last.role !== 'user') throw new GatewayError('BAD_REQUEST', 'the last message must have role "user"');
  const system: string[] = [];
  const history: ChatMessage[] = [];
  for (const item of messages.slice(0, -1)) {
    const content = toContent(item.content);
    if (item.role === 'system' || item.role === 'developer') system.push(textOf(content));
    else if (item.role === 'user') history.push({ role: 'user', content });
    // The client's own tool calls mean nothing to the agent's tools: only the words are kept.
    else if (item.role === 'assistant' && textOf(content))
      history.push({ role: 'assistant', content: textOf(content) });
  }
  return { system: system.join('\n\n'), history, last: toContent(last.content) };
}
