import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createWakeup } from '../helpers/wakeup';

/**
 * A fake Telegram Bot API (https://core.telegram.org/bots/api) on 127.0.0.1 with a random port.
 * Point grammY at it with `apiRoot` (or the gateway with `TELEGRAM_API_ROOT`). It records every
 * call and answers like Telegram: `{ ok, result }` or `{ ok: false, error_code, description }`.
 * It can also play Telegram's side of a webhook (`deliverWebhook`).
 */
export interface RecordedCall {
  method: string;
  params: BotParams;
  at: number;
}

/**
 * A Bot API call's parameters as the client sent them (JSON; form fields arrive as strings): the
 * ones the fake and the tests read, typed as the Bot API documents them; any other is unknown.
 */
export interface BotParams {
  chat_id?: number | string;
  message_id?: number | string;
  message_thread_id?: number;
  text?: string;
  parse_mode?: string;
  reply_parameters?: { message_id: number };
  file_id?: string;
  url?: string;
  secret_token?: string;
  allowed_updates?: string[];
  drop_pending_updates?: boolean;
  offset?: number | string;
  timeout?: number | string;
  limit?: number | string;
  [name: string]: unknown;
}

/** An update as queued or delivered: Bot API JSON (the tests build it); the fake assigns a missing id. */
export interface BotUpdate {
  update_id?: number;
  [field: string]: unknown;
}

export interface FakeBotOptions {
  token?: string;
  username?: string;
  botId?: number;
  /** What `RecordedCall.at` reads (a test's manual clock); real time when absent. */
  now?: () => number;
}

export interface FakeBotApi {
  origin: string;
  token: string;
  botId: number;
  username: string;
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** Resolves with the first recorded call (from index `since` on) that matches. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<RecordedCall>;
  /** Queues an update for `getUpdates`; `update_id` is assigned when missing. */
  pushUpdate(update: BotUpdate): number;
  /** Updates not yet confirmed by a `getUpdates` offset. */
  pendingUpdates(): BotUpdate[];
  /** POSTs an update to the registered webhook with its secret, as Telegram does; returns the status. */
  deliverWebhook(update: BotUpdate, secret?: string | null): Promise<{ status: number; body: string }>;
  webhook(): { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  /** Serves `bytes` for `getFile(fileId)` and its download URL. */
  addFile(fileId: string, bytes: Uint8Array, path?: string): void;
  /** Behaviour switches a test flips. */
  behaviour: {
    /** sendMessage with parse_mode answers 400 "can't parse entities". */
    rejectEntities: boolean;
    /** getUpdates answers 409 Conflict (another poller). */
    conflict: boolean;
    /** Fails the next N calls of a method at the HTTP level (socket destroyed). */
    dropNext: Record<string, number>;
    /** File downloads never answer (until the client gives up). */
    hangDownloads: boolean;
    /** These methods never answer (a platform timing out). */
    hang: Record<string, boolean>;
    /** sendMessage to these chat ids answers this error (`403 Forbidden: bot was blocked by the user`). */
    refuseChats: Record<string, { code: number; description: string }>;
    /** The next calls of a method answer 429 Too Many Requests, each with this `retry_after` (seconds). */
    tooManyRequests: Record<string, number[]>;
  };
  /** A message's text as it stands now (after edits), with its parse mode. */
  message(
    chatId: number | string,
    messageId: number | string,
  ): { text: string; parse_mode?: string } | undefined;
  close(): Promise<void>;
}

let messageCounter = 1000;

export async function startFakeBotApi(options: FakeBotOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? '123456:TEST-fake-token-abcdefghijklmnopqrstu';
  const botId = options.botId ?? Number(token.split(':')[0]);
  const username = options.username ?? 'krab_test_bot';
  const calls: RecordedCall[] = [];
  const wakeup = createWakeup();
  const updates: Array<BotUpdate & { update_id: number }> = [];
  const pollers = new Set<() => void>();
  const files = new Map<string, { bytes: Uint8Array; path: string }>();
  const sockets = new Set<Socket>();
  let nextUpdateId = 500_000;
  let webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  const behaviour: FakeBotApi['behaviour'] = {
    rejectEntities: false,
    conflict: false,
    dropNext: {},
    hangDownloads: false,
    hang: {},
    refuseChats: {},
    tooManyRequests: {},
  };
  const messages = new Map<string, { text: string; parse_mode?: string }>();

  const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
  const fail = (status: number, description: string) => ({
    status,
    body: { ok: false, error_code: status, description },
  });

  const METHODS: Record<
    string,
    (
      p: BotParams,
      signal: AbortSignal,
    ) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown }
  > = {
    getMe: () =>
      ok({
        id: botId,
        is_bot: true,
        first_name: 'Krab Test',
        username,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
    setWebhook: (p) => {
      webhook = { url: p.url ?? '', secret_token: p.secret_token, allowed_updates: p.allowed_updates };
      return ok(true);
    },
    deleteWebhook: (p) => {
      webhook = undefined;
      if (p.drop_pending_updates) updates.length = 0;
      return ok(true);
    },
    getWebhookInfo: () =>
      ok({ url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: updates.length }),
    async getUpdates(p, signal) {
      if (behaviour.conflict)
        return fail(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      if (webhook)
        return fail(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      const offset = Number(p.offset ?? 0);
      // Telegram forgets every update below the offset: that is how a poller confirms them.
      if (offset > 0) while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
      const timeout = Math.min(Number(p.timeout ?? 0), 50);
      const deadline = Date.now() + timeout * 1000;
      while (updates.length === 0 && Date.now() < deadline && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            pollers.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
          pollers.add(wake);
          signal.addEventListener('abort', wake, { once: true });
        });
      }
      const limit = Number(p.limit ?? 100);
      return ok(updates.slice(0, limit));
    },
    sendMessage: (p) => {
      const refused = Object.hasOwn(behaviour.refuseChats, String(p.chat_id))
        ? behaviour.refuseChats[String(p.chat_id)]
        : undefined;
      if (refused) return fail(refused.code, refused.description);
      if (behaviour.rejectEntities && p.parse_mode) {
        return fail(
          400,
          "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 12",
        );
      }
      const text = String(p.text ?? '');
      const refusal = refuseText(text, p.parse_mode);
      if (refusal) return fail(400, refusal);
      const messageId = ++messageCounter;
      messages.set(`${p.chat_id}:${messageId}`, {
        text,
        ...(p.parse_mode ? { parse_mode: p.parse_mode } : {}),
      });
      return ok({
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(p.chat_id), type: Number(p.chat_id) < 0 ? 'supergroup' : 'private' },
        from: { id: botId, is_bot: true, first_name: 'Krab Test', username },
        text,
        ...(p.message_thread_id ? { message_thread_id: p.message_thread_id, is_topic_message: true } : {}),
      });
    },
    // https://core.telegram.org/bots/api#editmessagetext, with Telegram's refusals.
    editMessageText: (p) => {
      const key = `${p.chat_id}:${p.message_id}`;
      const earlier = messages.get(key);
      if (!earlier) return fail(400, 'Bad Request: message to edit not found');
      if (behaviour.rejectEntities && p.parse_mode)
        return fail(400, "Bad Request: can't parse entities: Can't find end of the entity");
      const text = String(p.text ?? '');
      const refusal = refuseText(text, p.parse_mode);
      if (refusal) return fail(400, refusal);
      if (earlier.text === text && earlier.parse_mode === p.parse_mode)
        return fail(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      messages.set(key, { text, ...(p.parse_mode ? { parse_mode: p.parse_mode } : {}) });
      return ok({ message_id: Number(p.message_id), chat: { id: Number(p.chat_id) }, text });
    },
    sendChatAction: () => ok(true),
    getFile: (p) => {
      const file = files.get(p.file_id ?? '');
      if (!file) return fail(400, 'Bad Request: invalid file_id');
      return ok({
        file_id: p.file_id,
        file_unique_id: `u-${p.file_id}`,
        file_size: file.bytes.length,
        file_path: file.path,
      });
    },
  };

  const server: Server = createServer(async (req, res) => {
    try {
      await route(req, res);
    } catch (error) {
      send(res, 500, { ok: false, error_code: 500, description: `fake: ${(error as Error).message}` });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = [...files.values()].find((f) => f.path === fileMatch[2]);
      if (fileMatch[1] !== token || !file)
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (behaviour.hangDownloads) return;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(file.bytes.length),
      });
      res.end(Buffer.from(file.bytes));
      return;
    }
    const match = /^\/bot([^/]*)\/(\w+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, given, method] = match as unknown as [string, string, string];
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    if (behaviour.dropNext[method]) {
      behaviour.dropNext[method]--;
      req.socket.destroy();
      return;
    }
    if (behaviour.hang[method]) return;
    if (given !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    calls.push({ method, params, at: options.now?.() ?? Date.now() });
    wakeup.wake();
    const retryAfter = behaviour.tooManyRequests[method]?.shift();
    if (retryAfter !== undefined)
      return send(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    const handler = METHODS[method];
    if (!handler)
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const result = await handler(params, aborted.signal);
    if (!res.destroyed) send(res, result.status, result.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: FakeBotApi = {
    origin,
    token,
    botId,
    username,
    calls,
    behaviour,
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs = 10_000, since = 0) =>
      wakeup.until(
        () => calls.slice(since).find((c) => c.method === method && predicate(c)),
        timeoutMs,
        () => {
          const seen = calls.slice(-8).map((c) => `${c.method} ${JSON.stringify(c.params).slice(0, 160)}`);
          return `fake Bot API: no ${method} call in ${timeoutMs} ms; last calls:\n${seen.join('\n')}`;
        },
      ),
    pushUpdate(update) {
      const full = { update_id: update.update_id ?? ++nextUpdateId, ...update };
      updates.push(full);
      for (const wake of [...pollers]) wake();
      return full.update_id;
    },
    pendingUpdates: () => [...updates],
    async deliverWebhook(update, secret) {
      if (!webhook) throw new Error('fake Bot API: no webhook registered');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const value = secret === undefined ? webhook.secret_token : secret;
      if (value !== null && value !== undefined) headers['x-telegram-bot-api-secret-token'] = value;
      const full = { update_id: update.update_id ?? ++nextUpdateId, ...update };
      const res = await fetch(webhook.url, { method: 'POST', headers, body: JSON.stringify(full) });
      return { status: res.status, body: await res.text() };
    },
    webhook: () => webhook,
    message: (chatId, messageId) => messages.get(`${chatId}:${messageId}`),
    addFile(fileId, bytes, path = `photos/file_${files.size}.jpg`) {
      files.set(fileId, { bytes, path });
    },
    async close() {
      for (const wake of [...pollers]) wake();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

async function readParams(req: IncomingMessage): Promise<BotParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(text);
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  throw new Error(`unsupported content-type ${type}`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Why Telegram refuses a message text, if it does: empty, too long, or HTML it cannot parse. */
function refuseText(text: string, parseMode: unknown): string | undefined {
  if (text.length === 0) return 'Bad Request: message text is empty';
  if (parseMode === 'HTML') {
    const unbalanced = unbalancedTag(text);
    if (unbalanced) return `Bad Request: can't parse entities: ${unbalanced}`;
  }
  if (visibleLength(text, parseMode) > 4096) return 'Bad Request: message is too long';
  return undefined;
}

/** Telegram's HTML parser refuses a start tag without its end tag (and the reverse). */
function unbalancedTag(html: string): string | undefined {
  const open: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    if (!closing) open.push(name!.toLowerCase());
    else if (open.pop() !== name!.toLowerCase())
      return `Unmatched end tag at byte offset 0, expected "</${open.at(-1) ?? ''}>", found "</${name}>"`;
  }
  return open.length ? `Can't find end tag corresponding to start tag "${open.at(-1)}"` : undefined;
}

/** Telegram counts the limit after entity parsing: tags do not count, entities count as one character. */
function visibleLength(text: string, parseMode: unknown): number {
  if (parseMode !== 'HTML') return text.length;
  return text.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot|#\d+);/g, '_').length;
}

/** Update payloads shaped like the Bot API's, for tests. */
export const updates = {
  privateText(text: string, opts: { userId?: number; messageId?: number; username?: string } = {}) {
    const userId = opts.userId ?? 4242;
    return {
      message: {
        message_id: opts.messageId ?? ++messageCounter,
        date: Math.floor(Date.now() / 1000),
        chat: { id: userId, type: 'private', first_name: 'Ada', username: opts.username ?? 'ada' },
        from: {
          id: userId,
          is_bot: false,
          first_name: 'Ada',
          username: opts.username ?? 'ada',
          language_code: 'en',
        },
        text,
        ...commandEntities(text),
      },
    };
  },
  /** A voice note (`voice`) or, with `audio: true`, an audio file, in a DM; the bytes come from `addFile`. */
  privateVoice(
    fileId: string,
    opts: {
      userId?: number;
      duration?: number;
      fileSize?: number;
      mimeType?: string;
      audio?: boolean;
      forwarded?: boolean;
    } = {},
  ) {
    const base = updates.privateText('', opts).message as Record<string, unknown>;
    delete base.text;
    const media = {
      file_id: fileId,
      file_unique_id: `u-${fileId}`,
      duration: opts.duration ?? 3,
      mime_type: opts.mimeType ?? 'audio/ogg',
      ...(opts.fileSize !== undefined ? { file_size: opts.fileSize } : {}),
      ...(opts.audio ? { file_name: 'memo.mp3' } : {}),
    };
    return {
      message: {
        ...base,
        [opts.audio ? 'audio' : 'voice']: media,
        ...(opts.forwarded
          ? { forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Bob' } }
          : {}),
      },
    };
  },
  groupText(
    text: string,
    opts: {
      chatId?: number;
      userId?: number;
      messageId?: number;
      threadId?: number;
      replyToBot?: { id: number; username: string };
    } = {},
  ) {
    const userId = opts.userId ?? 4242;
    const entities = [...mentionEntities(text), ...(commandEntities(text).entities ?? [])];
    return {
      message: {
        message_id: opts.messageId ?? ++messageCounter,
        date: Math.floor(Date.now() / 1000),
        chat: {
          id: opts.chatId ?? -1001234567890,
          type: 'supergroup',
          title: 'Krab Lab',
          ...(opts.threadId ? { is_forum: true } : {}),
        },
        from: { id: userId, is_bot: false, first_name: 'Ada', username: 'ada' },
        text,
        ...(entities.length ? { entities } : {}),
        ...(opts.threadId ? { message_thread_id: opts.threadId, is_topic_message: true } : {}),
        ...(opts.replyToBot
          ? {
              reply_to_message: {
                message_id: 77,
                date: Math.floor(Date.now() / 1000),
                chat: { id: opts.chatId ?? -1001234567890, type: 'supergroup', title: 'Krab Lab' },
                from: {
                  id: opts.replyToBot.id,
                  is_bot: true,
                  first_name: 'Krab Test',
                  username: opts.replyToBot.username,
                },
                text: 'an earlier answer',
              },
            }
          : {}),
      },
    };
  },
};

function commandEntities(text: string): { entities?: Array<Record<string, unknown>> } {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? { entities: [{ type: 'bot_command', offset: 0, length: m[0].length }] } : {};
}

function mentionEntities(text: string): Array<Record<string, unknown>> {
  return [...text.matchAll(/(?<=^|\s)@[A-Za-z0-9_]{5,32}/g)].map((m) => ({
    type: 'mention',
    offset: m.index,
    length: m[0].length,
  }));
}
