import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  token?: string;
}

export interface FakeSlackApi {
  /** The Web API base, ending in `/api/` as `SLACK_API_BASE` expects. */
  apiBase: string;
  botToken: string;
  appToken: string;
  botUserId: string;
  calls: SlackCall[];
  callsOf(method: string): SlackCall[];
  /** Web API methods answer `{ ok: false, error }` for these channel ids (`channel_not_found`). */
  refuseChannels: Record<string, string>;
  /** Bot tokens Slack refuses with this error (`account_inactive`); any other unknown token is `invalid_auth`. */
  refuseTokens: Record<string, string>;
  /** The next N chat.postMessage calls to a channel answer HTTP 500 (an outage). */
  failNext: Record<string, number>;
  /** The next N calls of a Web API method (`auth.test`) answer HTTP 503 (an outage). */
  outage: Record<string, number>;
  /** chat.postMessage calls that went through. */
  posted: Array<{ channel: string; text: string; thread_ts?: string }>;
  /** Sends a Socket Mode envelope to the connected socket; resolves with its acknowledgement. */
  pushEnvelope(payload: unknown, type?: string): Promise<{ envelope_id: string }>;
  /** Sends `{type: 'disconnect'}` on the open socket, as Slack does before it rotates it. */
  disconnect(): void;
  /** Socket Mode connections opened so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A Slack Web API and Socket Mode endpoint on 127.0.0.1 for the methods the gateway uses. */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const botToken = 'xoxb-fake-bot-token';
  const appToken = 'xapp-fake-app-token';
  const botUserId = 'UBOT';
  const calls: SlackCall[] = [];
  const refuseChannels: Record<string, string> = {};
  const refuseTokens: Record<string, string> = {};
  const failNext: Record<string, number> = {};
  const outage: Record<string, number> = {};
  const posted: FakeSlackApi['posted'] = [];
  const sockets = new Set<WebSocket>();
  let current: WebSocket | undefined;
  let opened = 0;
  let ts = 1_700_000_000;
  const waiters = new Map<string, (ack: { envelope_id: string }) => void>();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    calls.push({ method, body, ...(token ? { token } : {}) });
    if (outage[method]) {
      outage[method]--;
      res.writeHead(503, { 'content-type': 'text/plain' });
      return res.end('fake outage');
    }
    const answer = (value: Record<string, unknown>) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (method === 'apps.connections.open') {
      if (token !== appToken) return answer({ ok: false, error: 'invalid_auth' });
      opened++;
      return answer({ ok: true, url: `ws://127.0.0.1:${port}/socket?n=${opened}` });
    }
    if (token !== botToken) return answer({ ok: false, error: refuseTokens[token ?? ''] ?? 'invalid_auth' });
    if (method === 'auth.test')
      return answer({ ok: true, user: 'krab', user_id: botUserId, team: 'Krab HQ', team_id: 'T1' });
    if (method === 'chat.postMessage') {
      const refused = refuseChannels[String(body.channel)];
      if (refused) return answer({ ok: false, error: refused });
      if (failNext[String(body.channel)]) {
        failNext[String(body.channel)]!--;
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end('fake outage');
      }
      posted.push(body as FakeSlackApi['posted'][number]);
      return answer({ ok: true, channel: body.channel, ts: `${++ts}.000100` });
    }
    answer({ ok: false, error: 'unknown_method' });
  });
  const wss = new WebSocketServer({ server, path: '/socket' });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    current = ws;
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id: string };
      waiters.get(ack.envelope_id)?.(ack);
      waiters.delete(ack.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let envelopes = 0;

  return {
    apiBase: `http://127.0.0.1:${port}/api/`,
    botToken,
    appToken,
    botUserId,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    refuseChannels,
    refuseTokens,
    failNext,
    outage,
    posted,
    pushEnvelope(payload, type = 'events_api') {
      const socket = current;
      if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
      const envelope_id = `env-${++envelopes}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${envelope_id} not acknowledged in 5 s`)), 5_000);
        waiters.set(envelope_id, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        socket.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: false }));
      });
    },
    disconnect() {
      current?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
    },
    connections: () => opened,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { raw: text };
  }
}

/** Signs a body as Slack does: `v0=` HMAC-SHA256 of `v0:<ts>:<body>` with the signing secret. */
export async function signSlack(secret: string, body: string, timestampSeconds: number): Promise<string> {
  const { createHmac } = await import('node:crypto');
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}
