// A fake `signal-cli daemon --http` on 127.0.0.1: GET /api/v1/check, GET /api/v1/events (SSE,
// `event:receive` with the JSON-RPC receive params as data, ":" keep-alives) and POST /api/v1/rpc
// (send, sendTyping, getAttachment; a send can be refused or answered with failure results), shaped like signal-cli's HttpServerHandler. Plain JS so the
// fake `signal-cli` executable (test/fakes/signal-cli.mjs) can serve it too. Tests drive it
// in-process or through its control routes under /__test/ (push, drop, state).
import { createServer } from 'node:http';

export async function startFakeSignalDaemon({ host = '127.0.0.1', port = 0, account = '+15550001111' } = {}) {
  const calls = [];
  const streams = new Set();
  const pending = [];
  const attachments = new Map();
  // Keyed by recipient number or `group:<id>`: a JSON-RPC error for every send (refuse), or the
  // next sends answered with per-recipient failure results (failNext), as signal-cli does.
  const refusals = new Map();
  const failures = new Map();
  let connections = 0;
  let timestamp = 1_767_225_600_000;

  const write = (res, event) => res.write(`event:receive\ndata:${JSON.stringify(event)}\n\n`);
  const push = (event) => {
    if (streams.size === 0) pending.push(event);
    for (const res of streams) write(res, event);
  };
  const dropStreams = () => {
    for (const res of streams) res.destroy();
    streams.clear();
  };
  const json = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    if (url.pathname === '/api/v1/check') return json(res, 200, {});
    if (url.pathname === '/api/v1/events' && req.method === 'GET') {
      connections++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(':\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      for (const event of pending.splice(0)) write(res, event);
      return;
    }
    if (url.pathname === '/api/v1/rpc' && req.method === 'POST') {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, {});
      let request;
      try {
        request = JSON.parse(text);
      } catch {
        return json(res, 200, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
      }
      calls.push({ method: request.method, params: request.params ?? {} });
      const ok = (result) => json(res, 200, { jsonrpc: '2.0', result, id: request.id });
      if (request.method === 'send') {
        if (!request.params?.message)
          return json(res, 200, {
            jsonrpc: '2.0',
            error: { code: -32602, message: 'message missing' },
            id: request.id,
          });
        const to = request.params.groupId ? `group:${request.params.groupId}` : request.params.recipient?.[0];
        const refusal = refusals.get(to);
        const failure = failures.get(to)?.shift();
        calls.at(-1).failed = Boolean(refusal ?? failure);
        if (refusal) return json(res, 200, { jsonrpc: '2.0', error: refusal, id: request.id });
        return ok({ timestamp: ++timestamp, results: [{ type: failure ?? 'SUCCESS' }] });
      }
      if (request.method === 'sendTyping') return ok({});
      if (request.method === 'getAttachment') {
        const data = attachments.get(request.params?.id);
        if (!data)
          return json(res, 200, {
            jsonrpc: '2.0',
            error: { code: -1, message: 'Attachment not found' },
            id: request.id,
          });
        return ok({ data });
      }
      return json(res, 200, {
        jsonrpc: '2.0',
        error: { code: -32601, message: 'Method not implemented' },
        id: request.id,
      });
    }
    if (url.pathname === '/__test/push' && req.method === 'POST') {
      push(JSON.parse(text));
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/__test/drop' && req.method === 'POST') {
      dropStreams();
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/__test/state')
      return json(res, 200, { calls, connections, streams: streams.size });
    json(res, 404, {});
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const origin = `http://${host}:${server.address().port}`;
  return {
    origin,
    account,
    calls,
    push,
    dropStreams,
    connections: () => connections,
    streams: () => streams.size,
    addAttachment: (id, base64) => attachments.set(id, base64),
    refuse: (to, message, code = -1) => refusals.set(to, { code, message }),
    failNext: (to, ...types) => failures.set(to, [...(failures.get(to) ?? []), ...types]),
    close() {
      dropStreams();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `receive` event as signal-cli sends it for a data message. */
export function signalMessage({
  from = '+15557654321',
  name = 'Ada',
  text,
  timestamp = Date.now(),
  groupId,
  mentions,
  attachments,
  account = '+15550001111',
}) {
  return {
    account,
    envelope: {
      source: from,
      sourceNumber: from,
      sourceUuid: 'a4c7c0c2-3b7e-4e39-9d5e-5b0f6b1f0c11',
      sourceName: name,
      sourceDevice: 1,
      timestamp,
      dataMessage: {
        timestamp,
        message: text,
        expiresInSeconds: 0,
        viewOnce: false,
        ...(groupId ? { groupInfo: { groupId, groupName: 'Crab Club', type: 'DELIVER' } } : {}),
        ...(mentions ? { mentions } : {}),
        ...(attachments ? { attachments } : {}),
      },
    },
  };
}
