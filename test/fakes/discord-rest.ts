import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The fake Discord REST API (v10) routes the gateway and the CLI use, with recorded requests.
 * Served under `/api/v10` by `startFakeDiscord` (test/fakes/discord.ts), so the real
 * `@discordjs/rest` client talks to it with `api: <origin>/api`.
 */
export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
  global_name?: string | null;
}

export interface FakeChannel {
  id: string;
  name?: string;
  type: number;
  guild_id?: string;
  parent_id?: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  authorization?: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON off the wire; tests read its fields directly
  body: any;
  at: number;
  /** The status the fake answered with. */
  status?: number;
}

export interface RestState {
  token: string;
  bot: FakeUser;
  applicationId: string;
  publicKey: string;
  /** Application flags (`1 << 19`: Message Content intent, limited). */
  applicationFlags: number;
  gatewayUrl: () => string;
  channels: Map<string, FakeChannel>;
  calls: RecordedCall[];
  /** Route prefix (`POST /channels/1/messages`) → 429s still to answer, each with a retry-after in seconds. */
  rateLimits: Map<string, number[]>;
  /** Route (`POST /channels/1/messages`) → error answers still to give, in order (`{status, body}`). */
  failures: Map<string, Array<{ status: number; body: unknown }>>;
  /** Messages created with a nonce, for `enforce_nonce`. */
  messagesByNonce: Map<string, unknown>;
  onCall: () => void;
}

type RouteHandler = (
  state: RestState,
  match: RegExpExecArray,
  call: RecordedCall,
) => { status: number; body?: unknown } | undefined;

let messageCounter = 1_000_000;

const ROUTES: Array<[method: string, pattern: RegExp, handler: RouteHandler]> = [
  ['GET', /^\/users\/@me$/, (state) => ({ status: 200, body: state.bot })],
  [
    'GET',
    /^\/oauth2\/applications\/@me$/,
    (state) => ({
      status: 200,
      body: {
        id: state.applicationId,
        name: state.bot.username,
        verify_key: state.publicKey,
        flags: state.applicationFlags,
        bot: state.bot,
      },
    }),
  ],
  [
    'GET',
    /^\/gateway\/bot$/,
    (state) => ({
      status: 200,
      body: {
        url: state.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 60_000, max_concurrency: 1 },
      },
    }),
  ],
  [
    'GET',
    /^\/channels\/(\d+)$/,
    (state, m) => {
      const channel = state.channels.get(m[1]!);
      return channel
        ? { status: 200, body: channel }
        : { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    },
  ],
  [
    'POST',
    /^\/channels\/(\d+)\/messages$/,
    (state, m, call) => {
      const content = String(call.body?.content ?? '');
      if (content.length === 0 || content.length > 2000) {
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      }
      const nonce = call.body?.nonce === undefined ? undefined : String(call.body.nonce);
      if (nonce !== undefined && nonce.length > 25)
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      // As Discord documents enforce_nonce: the message this author already created with that nonce comes back.
      const earlier =
        nonce !== undefined && call.body?.enforce_nonce ? state.messagesByNonce.get(nonce) : undefined;
      if (earlier) return { status: 200, body: earlier };
      const message = {
        id: String(++messageCounter),
        channel_id: m[1],
        content,
        author: state.bot,
        type: 0,
        nonce,
      };
      if (nonce !== undefined) state.messagesByNonce.set(nonce, message);
      return { status: 200, body: message };
    },
  ],
  [
    'PATCH',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    (state, m, call) => {
      const content = String(call.body?.content ?? '');
      if (content.length === 0 || content.length > 2000)
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      return { status: 200, body: { id: m[2], channel_id: m[1], content, author: state.bot, type: 0 } };
    },
  ],
  ['POST', /^\/channels\/(\d+)\/typing$/, () => ({ status: 204 })],
  ['PUT', /^\/applications\/(\d+)\/commands$/, (_s, _m, call) => ({ status: 200, body: call.body })],
  [
    'PATCH',
    /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    (state, _m, call) => ({
      status: 200,
      body: { id: String(++messageCounter), content: call.body?.content, author: state.bot },
    }),
  ],
  [
    'POST',
    /^\/webhooks\/(\d+)\/([^/]+)$/,
    (state, _m, call) => ({
      status: 200,
      body: { id: String(++messageCounter), content: call.body?.content, author: state.bot },
    }),
  ],
];

const WEBHOOK = /^\/webhooks\//;

/** Answers one REST request under `/api/v10`; returns false when the path is not a REST path. */
export async function handleRest(
  state: RestState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const prefix = /^\/api\/v\d+/.exec(url.pathname);
  if (!prefix) return false;
  const path = url.pathname.slice(prefix[0].length);
  const raw = await readBody(req);
  const call: RecordedCall = {
    method: req.method ?? 'GET',
    path,
    authorization: req.headers.authorization,
    body: raw ? safeJson(raw) : undefined,
    at: Date.now(),
  };
  state.calls.push(call);
  state.onCall();

  const key = `${call.method} ${path}`;
  const reply = (status: number, body?: unknown, headers?: Record<string, string>) => {
    call.status = status;
    return send(res, status, body, headers);
  };
  const pending = state.rateLimits.get(key);
  if (pending && pending.length > 0) {
    const retryAfter = pending.shift()!;
    return reply(
      429,
      { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': `fake-${path}`,
        'x-ratelimit-scope': 'user',
      },
    );
  }
  if (!WEBHOOK.test(path) && call.authorization !== `Bot ${state.token}`) {
    return reply(401, { message: '401: Unauthorized', code: 0 });
  }
  const failure = state.failures.get(key)?.shift();
  if (failure) return reply(failure.status, failure.body);
  for (const [method, pattern, handler] of ROUTES) {
    const match = method === call.method ? pattern.exec(path) : null;
    if (!match) continue;
    const result = handler(state, match, call);
    if (result) return reply(result.status, result.body);
  }
  return reply(404, { message: '404: Not Found', code: 0 });
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): true {
  if (body === undefined) {
    res.writeHead(status, headers).end();
  } else {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
  return true;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
