import type { ServerResponse } from 'node:http';
import {
  argumentsText,
  chunkText,
  destroyMidway,
  type FakeLlmOptions,
  type FakeLlmServer,
  type FakeReply,
  type RecordedRequest,
  roughTokens,
  type StatusReply,
  sseHeaders,
  startFakeLlm,
  type WireFormat,
  writeApiError,
  writeJsonReply,
} from './fake-llm';

export { type FakeLlmServer, type FakeReply, type RecordedRequest, reply } from './fake-llm';

/**
 * A fake Anthropic Messages API (`POST /v1/messages`) on 127.0.0.1, non-streaming and SSE
 * streaming as Anthropic sends them (https://docs.anthropic.com/en/api/messages-streaming).
 * Point the real SDK at it with `baseURL: fake.origin`. Default reply: `echo: <last user text>`.
 */
export function startFakeAnthropic(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  return startFakeLlm(anthropicWire, options);
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The tool results in a message's content blocks, each as text (JSON when not a string). */
function toolResultTexts(blocks: Array<Record<string, unknown>>): string[] {
  return blocks
    .filter((b) => b.type === 'tool_result')
    .map((b) => (typeof b.content === 'string' ? b.content : JSON.stringify(b.content)));
}

/** The tool results the model was handed in `request`'s last message. */
export function toolResults(request: RecordedRequest): string[] {
  const last = (request.body.messages as Array<{ content: unknown }>).at(-1)!;
  return toolResultTexts(Array.isArray(last.content) ? (last.content as Array<Record<string, unknown>>) : []);
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_fake${(++counter).toString().padStart(6, '0')}`;

const anthropicWire: WireFormat = {
  basePath: '',
  matches: (path) => path === '/v1/messages',
  apiKey: (headers) => headers['x-api-key'] ?? headers.authorization?.replace(/^Bearer\s+/i, ''),
  lastUserText(body) {
    const messages = Array.isArray(body.messages)
      ? (body.messages as Array<{ role?: string; content?: unknown }>)
      : [];
    const last = [...messages].reverse().find((m) => m.role === 'user');
    if (!last) return '';
    if (typeof last.content === 'string') return last.content;
    const blocks = Array.isArray(last.content) ? (last.content as Array<Record<string, unknown>>) : [];
    const texts = blocks.filter((b) => b.type === 'text').map((b) => String(b.text));
    if (texts.length > 0) return texts.join('\n');
    return toolResultTexts(blocks).join('\n');
  },
  unauthorized: () => ({ kind: 'status', status: 401, message: 'invalid x-api-key' }),
  error: writeError,
  malformed: {
    sse: 'event: message_start\ndata: {"type":"message_start","message":{not json\n\n',
    json: '{"id":"msg_broken","content":[{"type":"text","text":"unterminated',
  },
  message: writeMessage,
  stream: writeStream,
};

function writeError(res: ServerResponse, reply: StatusReply): void {
  const type =
    reply.errorType ??
    ERROR_TYPES[reply.status] ??
    (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
  writeApiError(res, reply, { 'request-id': nextId('req') }, (headers) => ({
    type: 'error',
    error: { type, message: reply.message ?? `fake ${type}` },
    request_id: headers['request-id'],
  }));
}

interface Block {
  type: 'text' | 'tool_use';
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  json?: string;
}

function blocksOf(reply: FakeReply): Block[] {
  if (reply.kind === 'text' || reply.kind === 'cut') return [{ type: 'text', text: reply.text }];
  if (reply.kind !== 'tools') return [];
  const blocks: Block[] = reply.text ? [{ type: 'text', text: reply.text }] : [];
  for (const call of reply.calls) {
    const json = argumentsText(call);
    let input: unknown = {};
    try {
      input = JSON.parse(json);
    } catch {
      input = {};
    }
    blocks.push({ type: 'tool_use', id: call.id ?? nextId('toolu'), name: call.name, input, json });
  }
  return blocks;
}

interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

function usageOf(reply: FakeReply, request: RecordedRequest): WireUsage {
  const scripted = reply.kind === 'text' || reply.kind === 'tools' ? reply.usage : undefined;
  const outputText = blocksOf(reply)
    .map((b) => b.text ?? b.json ?? '')
    .join('');
  return {
    input_tokens: scripted?.inputTokens ?? roughTokens(JSON.stringify(request.body.messages ?? '')),
    output_tokens: scripted?.outputTokens ?? roughTokens(outputText),
    ...(scripted?.cacheReadTokens === undefined ? {} : { cache_read_input_tokens: scripted.cacheReadTokens }),
    ...(scripted?.cacheWriteTokens === undefined
      ? {}
      : { cache_creation_input_tokens: scripted.cacheWriteTokens }),
  };
}

function stopReasonOf(reply: FakeReply): string {
  if (reply.kind === 'tools') return 'tool_use';
  if (reply.kind === 'text' && reply.stopReason === 'max_tokens') return 'max_tokens';
  return 'end_turn';
}

function writeMessage(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void {
  const message = {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: blocksOf(reply).map((b) =>
      b.type === 'text'
        ? { type: 'text', text: b.text }
        : { type: 'tool_use', id: b.id, name: b.name, input: b.input },
    ),
    stop_reason: stopReasonOf(reply),
    stop_sequence: null,
    usage: usageOf(reply, request),
  };
  writeJsonReply(res, reply, JSON.stringify(message), () => ({ 'request-id': nextId('req') }));
}

function event(res: ServerResponse, name: string, data: Record<string, unknown>): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
}

function writeStream(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void {
  sseHeaders(res, { 'request-id': nextId('req') });
  if (reply.kind === 'stream-error') {
    event(res, 'error', { error: { type: reply.errorType, message: reply.message ?? 'Overloaded' } });
    res.end();
    return;
  }
  const usage = usageOf(reply, request);
  event(res, 'message_start', {
    message: {
      id: nextId('msg'),
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // As Anthropic sends it: the prompt's figures (cache included) first, the output count at message_delta.
      usage: { ...usage, output_tokens: 1 },
    },
  });
  event(res, 'ping', {});
  const size =
    reply.kind === 'text'
      ? reply.chunkSize
      : reply.kind === 'cut'
        ? Math.max(1, reply.text.length)
        : undefined;
  blocksOf(reply).forEach((block, index) => {
    if (block.type === 'text') {
      event(res, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of chunkText(block.text ?? '', size)) {
        event(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
        if (reply.kind === 'cut') return;
      }
    } else {
      event(res, 'content_block_start', {
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      event(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const piece of chunkText(block.json ?? '', 12)) {
        event(res, 'content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    event(res, 'content_block_stop', { index });
  });
  if (reply.kind === 'cut') {
    if (!reply.stall) destroyMidway(res);
    return;
  }
  event(res, 'message_delta', {
    delta: { stop_reason: stopReasonOf(reply), stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  event(res, 'message_stop', {});
  res.end();
}
