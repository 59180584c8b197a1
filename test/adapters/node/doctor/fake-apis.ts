import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GOOD = {
  anthropic: 'sk-ant-good-0123456789',
  openai: 'sk-openai-good-0123456789',
  google: 'google-good-0123456789',
  telegram: '123456:telegram-good-token-0123456789',
  discord: 'ZGlzY29yZC1nb29kLXRva2Vu.Gd0123.discord-good-token-0123456789',
};

export interface FakeApis {
  origin: string;
  /** Every request as `METHOD path` (the Telegram token replaced by `<token>`), plus its auth headers. */
  requests: Array<{ line: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

/**
 * The cheapest authenticated call of each far end doctor `--deep` uses, on 127.0.0.1: Anthropic and
 * OpenAI `GET /v1/models`, Gemini `GET /v1beta/models`, Telegram `getMe`, Discord `/users/@me`.
 */
export async function startFakeApis(): Promise<FakeApis> {
  const requests: FakeApis['requests'] = [];
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const tg = /^\/bot([^/]+)\/getMe$/.exec(url.pathname);
    requests.push({ line: `${req.method} ${tg ? '/bot<token>/getMe' : url.pathname}`, headers: req.headers });
    if (tg) {
      return decodeURIComponent(tg[1] ?? '') === GOOD.telegram
        ? send(res, 200, { ok: true, result: { id: 123456, is_bot: true, username: 'krab_bot' } })
        : send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    if (url.pathname === '/api/v10/users/@me') {
      return req.headers.authorization === `Bot ${GOOD.discord}`
        ? send(res, 200, { id: '1', username: 'Krab' })
        : send(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    if (url.pathname === '/v1/models' && req.headers['x-api-key'] !== undefined) {
      return req.headers['x-api-key'] === GOOD.anthropic && req.headers['anthropic-version']
        ? send(res, 200, { data: [] })
        : send(res, 401, { type: 'error' });
    }
    if (url.pathname === '/v1/models') {
      return req.headers.authorization === `Bearer ${GOOD.openai}`
        ? send(res, 200, { data: [] })
        : send(res, 401, { error: {} });
    }
    if (url.pathname === '/v1beta/models') {
      return req.headers['x-goog-api-key'] === GOOD.google
        ? send(res, 200, { models: [] })
        : send(res, 403, { error: {} });
    }
    if (url.pathname === '/broken/v1/models') return send(res, 500, {});
    send(res, 404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
