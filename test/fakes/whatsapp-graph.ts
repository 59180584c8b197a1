import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWakeup } from '../helpers/wakeup';

/**
 * A fake WhatsApp Cloud API (Graph API) on 127.0.0.1: `GET /{version}/{phoneNumberId}`,
 * `POST /{version}/{phoneNumberId}/messages` (texts, read marks), `GET /{version}/{mediaId}` and the
 * media download URL, all behind the bearer token. It also plays Meta's side of the webhook:
 * `deliver` POSTs a body signed with X-Hub-Signature-256 (HMAC-SHA256 with the app secret).
 */
export interface GraphCall {
  method: string;
  path: string;
  body: GraphBody;
}

/**
 * A request's JSON body (`{}` when it had none): the fields of a send or read mark
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages) the fake and the
 * tests read; any other is unknown.
 */
export interface GraphBody {
  messaging_product?: string;
  status?: string;
  to?: string;
  type?: string;
  text?: { body?: string };
  context?: { message_id: string };
  [field: string]: unknown;
}

export interface FakeGraph {
  origin: string;
  token: string;
  appSecret: string;
  phoneNumberId: string;
  calls: GraphCall[];
  /** Texts sent (type text), in order. */
  sent(to?: string): Array<{ to: string; body: string; context?: string }>;
  waitFor(predicate: (call: GraphCall) => boolean, timeoutMs?: number): Promise<GraphCall>;
  /** Recipients whose 24-hour window is closed: sending to them answers Graph error 131047. */
  windowClosed: Set<string>;
  /** The next N texts to a recipient answer HTTP 500 (a Graph outage). */
  failNext: Map<string, number>;
  addMedia(id: string, bytes: Uint8Array, mimeType: string): void;
  close(): Promise<void>;
}

export async function startFakeGraph(
  options: { token?: string; appSecret?: string; phoneNumberId?: string } = {},
): Promise<FakeGraph> {
  const token = options.token ?? 'EAAG-fake-whatsapp-token-0123456789';
  const appSecret = options.appSecret ?? 'fake-app-secret-abcdef0123456789';
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const calls: GraphCall[] = [];
  const wakeup = createWakeup();
  const media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const windowClosed = new Set<string>();
  const failNext = new Map<string, number>();
  let counter = 0;
  let origin = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: number, message: string, details?: string) =>
    json(res, status, {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: 'Afake',
      },
    });

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: GraphBody = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {}
    calls.push({ method: req.method ?? 'GET', path: url.pathname, body });
    wakeup.wake();
    if (req.headers.authorization !== `Bearer ${token}`)
      return graphError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'media' && parts[1]) {
      const item = media.get(parts[1]);
      if (!item) return json(res, 404, {});
      res.writeHead(200, { 'content-type': item.mimeType });
      return res.end(Buffer.from(item.bytes));
    }
    const [, id, edge] = parts;
    if (req.method === 'GET' && id === phoneNumberId && !edge)
      return json(res, 200, { display_phone_number: '+1 555-010-0999', verified_name: 'Krab Test', id });
    if (req.method === 'GET' && id && media.has(id)) {
      const item = media.get(id)!;
      return json(res, 200, {
        url: `${origin}/media/${id}`,
        mime_type: item.mimeType,
        sha256: 'x',
        file_size: item.bytes.length,
        id,
        messaging_product: 'whatsapp',
      });
    }
    if (req.method === 'POST' && id === phoneNumberId && edge === 'messages') {
      if (body.messaging_product !== 'whatsapp')
        return graphError(res, 400, 100, 'messaging_product is required');
      if (body.status === 'read') return json(res, 200, { success: true });
      const to = body.to ?? '';
      if (failNext.get(to)) {
        failNext.set(to, failNext.get(to)! - 1);
        return graphError(res, 500, 2, 'Service temporarily unavailable');
      }
      if (windowClosed.has(to))
        return graphError(
          res,
          400,
          131047,
          '(#131047) Re-engagement message',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        );
      if (typeof body.text?.body !== 'string' || body.text.body.length > 4096)
        return graphError(res, 400, 100, 'Invalid parameter', 'text.body must be 1-4096 characters');
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.fake${++counter}` }],
      });
    }
    graphError(res, 400, 100, `Unsupported ${req.method} request ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    token,
    appSecret,
    phoneNumberId,
    calls,
    windowClosed,
    failNext,
    sent: (to) =>
      calls
        .filter((c) => c.path.endsWith('/messages') && c.body.type === 'text' && (!to || c.body.to === to))
        .map((c) => ({
          to: c.body.to!,
          body: c.body.text!.body!,
          ...(c.body.context ? { context: c.body.context.message_id } : {}),
        })),
    waitFor: (predicate, timeoutMs = 8_000) =>
      wakeup.until(
        () => calls.find(predicate),
        timeoutMs,
        () =>
          `fake graph: no matching call within ${timeoutMs} ms; calls: ${JSON.stringify(calls).slice(0, 2000)}`,
      ),
    addMedia: (id, bytes, mimeType) => void media.set(id, { bytes, mimeType }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `sha256=<hex>` for a raw body, as Meta signs it. */
export function signWhatsApp(raw: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** POSTs a webhook body to `url` as Meta does; `signature: null` leaves the header out. */
export async function deliverWhatsApp(
  url: string,
  body: unknown,
  appSecret: string,
  signature?: string | null,
): Promise<{ status: number; json: unknown }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const sig = signature === undefined ? signWhatsApp(raw, appSecret) : signature;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-hub-signature-256': sig }) },
    body: raw,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** Webhook bodies shaped like Meta's (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples). */
export const waPayloads = {
  wrap(phoneNumberId: string, value: Record<string, unknown>) {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100999', phone_number_id: phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    };
  },
  text(
    phoneNumberId: string,
    o: { from?: string; id?: string; text: string; name?: string; contextId?: string; contextFrom?: string },
  ) {
    const from = o.from ?? '15551234567';
    return waPayloads.wrap(phoneNumberId, {
      contacts: [{ profile: { name: o.name ?? 'Ada' }, wa_id: from }],
      messages: [
        {
          from,
          id: o.id ?? `wamid.in${Math.random().toString(36).slice(2, 10)}`,
          timestamp: '1767225600',
          type: 'text',
          text: { body: o.text },
          ...(o.contextId ? { context: { from: o.contextFrom ?? '15550100999', id: o.contextId } } : {}),
        },
      ],
    });
  },
  image(phoneNumberId: string, o: { from?: string; id?: string; mediaId: string; caption?: string }) {
    const from = o.from ?? '15551234567';
    return waPayloads.wrap(phoneNumberId, {
      contacts: [{ profile: { name: 'Ada' }, wa_id: from }],
      messages: [
        {
          from,
          id: o.id ?? `wamid.img${Math.random().toString(36).slice(2, 10)}`,
          timestamp: '1767225600',
          type: 'image',
          image: { caption: o.caption, mime_type: 'image/png', sha256: 'abc', id: o.mediaId },
        },
      ],
    });
  },
  reaction(phoneNumberId: string, o: { from?: string; messageId: string; emoji: string }) {
    const from = o.from ?? '15551234567';
    return waPayloads.wrap(phoneNumberId, {
      contacts: [{ profile: { name: 'Ada' }, wa_id: from }],
      messages: [
        {
          from,
          id: `wamid.re${Math.random().toString(36).slice(2, 8)}`,
          timestamp: '1767225600',
          type: 'reaction',
          reaction: { message_id: o.messageId, emoji: o.emoji },
        },
      ],
    });
  },
  status(phoneNumberId: string, o: { id: string; status: string; recipient?: string; errorCode?: number }) {
    return waPayloads.wrap(phoneNumberId, {
      statuses: [
        {
          id: o.id,
          status: o.status,
          timestamp: '1767225700',
          recipient_id: o.recipient ?? '15551234567',
          ...(o.errorCode
            ? {
                errors: [
                  {
                    code: o.errorCode,
                    title: 'Re-engagement message',
                    message: 'Re-engagement message',
                    error_data: {
                      details:
                        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
                    },
                  },
                ],
              }
            : {}),
        },
      ],
    });
  },
};
