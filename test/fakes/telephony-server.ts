import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createWakeup } from '../helpers/wakeup';

/** One request a fake telephony API received. */
export interface TelephonyRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Form fields (Twilio, repeated names kept) or the JSON body (Telnyx). */
  form?: URLSearchParams;
  json?: Record<string, unknown>;
}

export interface TelephonyServer {
  origin: string;
  requests: TelephonyRequest[];
  /** Resolves once a request matches (bounded by `timeoutMs`). */
  waitFor(predicate: (request: TelephonyRequest) => boolean, timeoutMs?: number): Promise<TelephonyRequest>;
  close(): Promise<void>;
}

export type TelephonyRoute = (request: TelephonyRequest) => { status: number; body: unknown } | undefined;

/** A tiny HTTP server on 127.0.0.1 (random port) that records requests and answers through `route`. */
export async function startTelephonyServer(route: TelephonyRoute): Promise<TelephonyServer> {
  const requests: TelephonyRequest[] = [];
  const wakeup = createWakeup();
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const type = headers['content-type'] ?? '';
    const request: TelephonyRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers,
      ...(type.includes('json') && text ? { json: JSON.parse(text) } : {}),
      ...(type.includes('form') ? { form: new URLSearchParams(text) } : {}),
    };
    requests.push(request);
    wakeup.wake();
    const answer = route(request) ?? { status: 404, body: { message: 'not found' } };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (predicate, timeoutMs = 5000) =>
      wakeup.until(
        () => requests.find(predicate),
        timeoutMs,
        () =>
          `no matching request in ${timeoutMs} ms; got ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
