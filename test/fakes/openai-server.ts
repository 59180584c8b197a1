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

export interface FakeOpenAIOptions extends FakeLlmOptions {
  /** Where the API lives: `/v1` (OpenAI, default) or `/v1beta/openai` (Gemini's OpenAI-compatible endpoint). */
  pathPrefix?: string;
}

/**
 * A fake OpenAI Chat Completions API (`POST <prefix>/chat/completions`) on 127.0.0.1: JSON
 * replies and SSE chunks ending in `data: [DONE]`, tool_calls deltas, usage when
 * `stream_options.include_usage` is set. Point the real SDK at it with `baseURL: fake.baseUrl`.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeLlmServer> {
  const prefix = (options.pathPrefix ?? '/v1').replace(/\/+$/, '');
  return startFakeLlm(openaiWire(prefix), options);
}

const ERROR_TYPES: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

let counter = 0;
const nextId = (prefix: string) => `${prefix}-fake${(++counter).toString().padStart(6, '0')}`;

function openaiWire(prefix: string): WireFormat {
  return {
    basePath: prefix,
    matches: (path) => path === `${prefix}/chat/completions`,
    apiKey: (headers) => headers.authorization?.replace(/^Bearer\s+/i, ''),
    lastUserText(body) {
      const messages = Array.isArray(body.messages)
        ? (body.messages as Array<{ role?: string; content?: unknown }>)
        : [];
      const last = [...messages].reverse().find((m) => m.role === 'user' || m.role === 'tool');
      if (!last) return '';
      if (typeof last.content === 'string') return last.content;
      const parts = Array.isArray(last.content) ? (last.content as Array<Record<string, unknown>>) : [];
      return parts
        .filter((p) => p.type === 'text')
        .map((p) => String(p.text))
        .join('\n');
    },
    unauthorized: () => ({ kind: 'status', status: 401, message: 'Incorrect API key provided.' }),
    error: writeError,
    // Chat Completions streams have no error event: an overload arrives as a 503 before any data.
    streamErrorStatus: 503,
    malformed: {
      sse: 'data: {"id":"chatcmpl-broken","choices":[{not json\n\ndata: [DONE]\n\n',
      json: '{"id":"chatcmpl-broken","choices":[{"message":',
    },
    message: writeCompletion,
    stream: writeStream,
  };
}

function writeError(res: ServerResponse, reply: StatusReply): void {
  const [type, code] = ERROR_TYPES[reply.status] ?? [
    reply.status >= 500 ? 'server_error' : 'invalid_request_error',
    null,
  ];
  writeApiError(res, reply, { 'x-request-id': nextId('req') }, () => ({
    error: { message: reply.message ?? `fake ${type}`, type: reply.errorType ?? type, param: null, code },
  }));
}

interface WireCall {
  id: string;
  name: string;
  json: string;
}

function callsOf(reply: FakeReply): WireCall[] {
  if (reply.kind !== 'tools') return [];
  return reply.calls.map((call) => ({
    id: call.id ?? nextId('call'),
    name: call.name,
    json: argumentsText(call),
  }));
}

function textOf(reply: FakeReply): string {
  if (reply.kind === 'text' || reply.kind === 'cut') return reply.text;
  if (reply.kind === 'tools') return reply.text ?? '';
  return '';
}

function finishOf(reply: FakeReply): string {
  if (reply.kind === 'tools') return 'tool_calls';
  if (reply.kind === 'text' && reply.stopReason === 'max_tokens') return 'length';
  return 'stop';
}

function usageOf(reply: FakeReply, request: RecordedRequest) {
  const scripted = reply.kind === 'text' || reply.kind === 'tools' ? reply.usage : undefined;
  const prompt = scripted?.inputTokens ?? roughTokens(JSON.stringify(request.body.messages ?? ''));
  const completion =
    scripted?.outputTokens ??
    roughTokens(
      textOf(reply) +
        callsOf(reply)
          .map((c) => c.json)
          .join(''),
    );
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(scripted?.cacheReadTokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: scripted.cacheReadTokens } }),
  };
}

function writeCompletion(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void {
  const calls = callsOf(reply);
  const text = textOf(reply);
  const body = JSON.stringify({
    id: nextId('chatcmpl'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: calls.length > 0 && text === '' ? null : text,
          refusal: null,
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.json },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishOf(reply),
      },
    ],
    usage: usageOf(reply, request),
    system_fingerprint: 'fp_fake',
  });
  writeJsonReply(res, reply, body, () => ({ 'x-request-id': nextId('req') }));
}

function writeStream(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void {
  sseHeaders(res, { 'x-request-id': nextId('req') });
  const includeUsage =
    (request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const base = {
    id: nextId('chatcmpl'),
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    system_fingerprint: 'fp_fake',
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) })}\n\n`,
    );

  const calls = callsOf(reply);
  const text = textOf(reply);
  chunk({ role: 'assistant', content: '', refusal: null });
  if (text !== '') {
    for (const piece of chunkText(
      text,
      reply.kind === 'text' ? reply.chunkSize : reply.kind === 'cut' ? Math.max(1, text.length) : undefined,
    )) {
      chunk({ content: piece });
      if (reply.kind === 'cut') {
        if (!reply.stall) destroyMidway(res);
        return;
      }
    }
  }
  calls.forEach((call, index) => {
    chunk({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
    });
    for (const piece of chunkText(call.json, 12))
      chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  chunk({}, finishOf(reply));
  if (includeUsage)
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: usageOf(reply, request) })}\n\n`);
  res.end('data: [DONE]\n\n');
}
