import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createWakeup } from '../helpers/wakeup';

/**
 * The shared core of the fake Anthropic and OpenAI servers: a tiny HTTP server on 127.0.0.1
 * (random port) that records every request and answers from a script. Each fake turns a
 * `FakeReply` into its own wire format.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** `x-api-key` (Anthropic) or the `Authorization: Bearer` token (OpenAI). */
  apiKey: string | undefined;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: Record<string, unknown>;
  stream: boolean;
  model: string | undefined;
  /** The text of the last user message, for echo replies. */
  lastUserText: string;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** An object (serialized for the wire) or raw JSON text (which may be invalid on purpose). */
  arguments: Record<string, unknown> | string;
}

/** A scripted reply. Streaming requests get it as SSE, others as one JSON body. */
export type FakeReply =
  | {
      kind: 'text';
      text: string;
      usage?: FakeUsage;
      stopReason?: FakeStopReason;
      delayMs?: number;
      chunkSize?: number;
    }
  | { kind: 'tools'; calls: FakeToolCall[]; text?: string; usage?: FakeUsage }
  /** An HTTP error with the API's error body; `retryAfter` (seconds) sets the Retry-After header. */
  | {
      kind: 'status';
      status: number;
      message?: string;
      errorType?: string;
      retryAfter?: number;
      headers?: Record<string, string>;
    }
  /** Anthropic only: a 200 stream whose first event is an SSE `error` event (how overload often arrives). */
  | { kind: 'stream-error'; errorType: string; message?: string }
  /** Accepts the request and never answers (until `close()`). */
  | { kind: 'hang' }
  /** Streams `text` as a first delta, then destroys the socket mid-stream (non-streaming: half a body). */
  | { kind: 'cut'; text: string; stall?: boolean }
  /** A 200 with a body (or SSE data line) that is not JSON. */
  | { kind: 'malformed' };

export interface FakeUsage {
  /** Anthropic: `input_tokens` (the uncached part); OpenAI: `prompt_tokens` (all of them). */
  inputTokens: number;
  outputTokens: number;
  /** Anthropic `cache_read_input_tokens`; OpenAI `prompt_tokens_details.cached_tokens`. */
  cacheReadTokens?: number;
  /** Anthropic `cache_creation_input_tokens` (OpenAI reports none). */
  cacheWriteTokens?: number;
}

export type FakeStopReason = 'end' | 'max_tokens';

export interface FakeLlmOptions {
  /** Replies used in order, one per request; when empty, `respond` or the echo default answers. */
  replies?: FakeReply[];
  /** Computes a reply for a request (after the queue is empty). Return undefined for the default. */
  respond?: (request: RecordedRequest) => FakeReply | undefined;
  /** When set, any other key gets the API's 401. */
  validKeys?: string[];
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** What to hand the SDK as its base URL (`origin` for Anthropic, `origin + /v1` for OpenAI). */
  baseUrl: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Appends scripted replies to the queue. */
  enqueue(...replies: FakeReply[]): void;
  /** Replaces the function used when the queue is empty. */
  setRespond(respond: FakeLlmOptions['respond']): void;
  /** Resolves once `count` requests have been received (bounded by `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** What a fake writes for a reply: the wire-format specifics of one API. */
export interface WireFormat {
  /** The path the SDK's base URL ends with (`''` for Anthropic, `/v1` for OpenAI). */
  basePath: string;
  /** Which paths are the completion endpoint. */
  matches(path: string): boolean;
  apiKey(headers: Record<string, string>): string | undefined;
  lastUserText(body: Record<string, unknown>): string;
  unauthorized(): FakeReply;
  /** Writes a `status` reply as the API's error response. */
  error(res: ServerResponse, reply: StatusReply): void;
  /** What a `malformed` reply sends: SSE data (`sse`) or a JSON body (`json`) that does not parse. */
  malformed: { sse: string; json: string };
  /** Writes a reply as one JSON body (a request that did not ask to stream). */
  message(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void;
  /** Writes a reply as SSE (a request with `stream: true`). */
  stream(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void;
  /** For an API with no SSE error event: the HTTP status a `stream-error` reply is answered with. */
  streamErrorStatus?: number;
}

/** Dispatches a reply to the format's writers (the same order for every API). */
function writeReply(
  format: WireFormat,
  reply: FakeReply,
  request: RecordedRequest,
  res: ServerResponse,
): void {
  if (reply.kind === 'status') format.error(res, reply);
  else if (reply.kind === 'stream-error' && format.streamErrorStatus !== undefined)
    format.error(res, {
      kind: 'status',
      status: format.streamErrorStatus,
      message: reply.message ?? 'overloaded',
    });
  else if (reply.kind === 'malformed') writeMalformed(res, request, format.malformed);
  else if (request.stream) format.stream(res, reply, request);
  else format.message(res, reply, request);
}

/** Builders for scripted replies, shared by both fakes. */
export const reply = {
  text: (
    text: string,
    extra: Omit<Extract<FakeReply, { kind: 'text' }>, 'kind' | 'text'> = {},
  ): FakeReply => ({ kind: 'text', text, ...extra }),
  tools: (calls: FakeToolCall[], text?: string): FakeReply => ({
    kind: 'tools',
    calls,
    ...(text === undefined ? {} : { text }),
  }),
  status: (
    status: number,
    extra: Omit<Extract<FakeReply, { kind: 'status' }>, 'kind' | 'status'> = {},
  ): FakeReply => ({ kind: 'status', status, ...extra }),
  rateLimited: (retryAfter?: number): FakeReply => ({
    kind: 'status',
    status: 429,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  }),
  overloaded: (): FakeReply => ({
    kind: 'status',
    status: 529,
    errorType: 'overloaded_error',
    message: 'Overloaded',
  }),
  hang: (): FakeReply => ({ kind: 'hang' }),
  cut: (text = 'partial'): FakeReply => ({ kind: 'cut', text }),
  /** Streams `text` as a first delta, then sends nothing more and keeps the connection open. */
  stall: (text = 'partial'): FakeReply => ({ kind: 'cut', text, stall: true }),
  malformed: (): FakeReply => ({ kind: 'malformed' }),
};

/** Starts a fake on 127.0.0.1 with a random port speaking `format`. */
export async function startFakeLlm(format: WireFormat, options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  const queue: FakeReply[] = [...(options.replies ?? [])];
  let respond = options.respond;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const wakeup = createWakeup();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { raw: text };
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      apiKey: format.apiKey(headers),
      body,
      stream: body.stream === true,
      model: typeof body.model === 'string' ? body.model : undefined,
      lastUserText: format.lastUserText(body),
    };
    requests.push(recorded);
    wakeup.wake();
    // The cheap call a key check makes: list models (401 for a key not in `validKeys`).
    if (req.method === 'GET' && path.endsWith('/models')) {
      const valid = !options.validKeys || options.validKeys.includes(recorded.apiKey ?? '');
      res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          valid
            ? { data: [{ id: 'fake-model', type: 'model' }] }
            : { error: { type: 'authentication_error', message: 'invalid x-api-key' } },
        ),
      );
      return;
    }
    if (req.method !== 'POST' || !format.matches(path)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } }),
      );
      return;
    }
    const scripted =
      options.validKeys && !options.validKeys.includes(recorded.apiKey ?? '')
        ? format.unauthorized()
        : undefined;
    const next =
      scripted ?? queue.shift() ?? respond?.(recorded) ?? reply.text(`echo: ${recorded.lastUserText}`);
    if (next.kind === 'hang') return;
    if (next.kind === 'text' && next.delayMs)
      await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    writeReply(format, next, recorded, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    origin: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}${format.basePath}`,
    port,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setRespond(next) {
      respond = next;
    },
    async waitForRequests(count, timeoutMs = 5000) {
      await wakeup.until(
        () => requests.length >= count,
        timeoutMs,
        () => `fake LLM: expected ${count} requests, got ${requests.length} within ${timeoutMs} ms`,
      );
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Splits text into deltas of `size` characters (at least one delta, possibly empty). */
export function chunkText(text: string, size = 8): string[] {
  if (text === '') return [''];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** Rough token count for usage figures when a reply does not script them. */
export function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function argumentsText(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

export function sseHeaders(res: ServerResponse, extra: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...extra,
  });
}

/** Cuts a response mid-way: the socket dies without a proper end of the body. */
export function destroyMidway(res: ServerResponse): void {
  setTimeout(() => res.socket?.destroy(), 5);
}

/** The `status` member of `FakeReply`: an HTTP error with the API's error body. */
export type StatusReply = Extract<FakeReply, { kind: 'status' }>;

/**
 * Writes an API error: JSON, the request id under the API's header name, the scripted extra
 * headers and Retry-After; `body` gets the headers as sent (so a body can repeat the request id).
 */
export function writeApiError(
  res: ServerResponse,
  reply: StatusReply,
  requestId: Record<string, string>,
  body: (headers: Record<string, string>) => unknown,
): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...requestId,
    ...reply.headers,
  };
  if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
  res.writeHead(reply.status, headers);
  res.end(JSON.stringify(body(headers)));
}

/** A `malformed` reply: a 200 whose SSE data (`sse`) or JSON body (`json`) does not parse. */
function writeMalformed(
  res: ServerResponse,
  request: RecordedRequest,
  broken: { sse: string; json: string },
): void {
  if (request.stream) {
    sseHeaders(res);
    res.end(broken.sse);
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(broken.json);
  }
}

/**
 * A non-streaming reply's JSON `body`; a `cut` reply sends half of it under a Content-Length for
 * the whole, then kills the socket (unless it stalls). `headers` is called only for a whole body.
 */
export function writeJsonReply(
  res: ServerResponse,
  reply: FakeReply,
  body: string,
  headers: () => Record<string, string>,
): void {
  if (reply.kind === 'cut') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.write(body.slice(0, Math.floor(body.length / 2)));
    if (!reply.stall) destroyMidway(res);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', ...headers() });
  res.end(body);
}
