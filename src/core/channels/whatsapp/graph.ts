import { GatewayError } from '../../errors';

/** Graph error codes for which sending again cannot help (the reply is given up at once, with the reason). */
const PERMANENT_CODES = new Set([
  100, // invalid parameter
  131008, // required parameter missing
  131009, // parameter value not valid
  131026, // message undeliverable (not on WhatsApp, old app, ...)
  131030, // recipient not in the test number's allowed list
  131047, // more than 24 hours since the user last wrote
  131051, // unsupported message type
]);
export const REENGAGEMENT_CODE = 131047;

const TIMEOUT_MS = 30_000;

/** What the Graph API answered when it refused a call. */
export interface GraphFailure {
  httpStatus: number;
  code?: number;
  message: string;
}

export interface GraphClientOptions {
  /** `https://graph.facebook.com/v23.0` */
  root: string;
  phoneNumberId: string;
  token: string;
  fetch?: typeof fetch;
}

export interface GraphClient {
  /** Sends one text message (at most 4096 characters); resolves with its `wamid`. */
  sendText(to: string, body: string, replyTo?: string): Promise<string>;
  /** Marks an inbound message read (blue ticks), with the typing indicator when asked. */
  markRead(messageId: string, typing?: boolean): Promise<void>;
  /** A media object's bytes: `GET /{media-id}` for its URL, then the URL, both with the token. */
  downloadMedia(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array; mimeType?: string }>;
  /** `GET /{phone-number-id}`: checks the id and the token together. */
  phoneNumber(): Promise<{ displayPhoneNumber?: string; verifiedName?: string }>;
}

/**
 * A small Graph API client for the Cloud API, on the platform's fetch (Node and Workers).
 * Every refusal becomes a `GatewayError` whose message is secret-free and says what to do.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const auth = { authorization: `Bearer ${options.token}` };

  async function call<T>(path: string, init: RequestInit = {}, context = ''): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${options.root}${path}`, {
        ...init,
        headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new GatewayError(
        'UNAVAILABLE',
        `cannot reach the WhatsApp Graph API: ${(error as Error).message}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (!res.ok || json === undefined) throw graphError(res.status, json, context);
    return json as T;
  }

  async function messages(body: Record<string, unknown>, context: string) {
    return call<{ messages?: Array<{ id?: string }> }>(
      `/${options.phoneNumberId}/messages`,
      { method: 'POST', body: JSON.stringify({ messaging_product: 'whatsapp', ...body }) },
      context,
    );
  }

  return {
    async sendText(to, body, replyTo) {
      const sent = await messages(
        {
          recipient_type: /^\d+$/.test(to) ? 'individual' : 'group',
          to,
          type: 'text',
          text: { preview_url: false, body },
          ...(replyTo ? { context: { message_id: replyTo } } : {}),
        },
        `to +${to}`,
      );
      return sent.messages?.[0]?.id ?? '';
    },
    async markRead(messageId, typing = false) {
      await messages(
        { status: 'read', message_id: messageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}) },
        'marking a message read',
      );
    },
    async downloadMedia(mediaId, maxBytes) {
      const info = await call<{ url?: string; mime_type?: string; file_size?: number }>(
        `/${encodeURIComponent(mediaId)}`,
        {},
        'looking up a media file',
      );
      if (!info.url) throw new GatewayError('PROVIDER_ERROR', 'the Graph API gave no URL for the media file');
      if (info.file_size !== undefined && info.file_size > maxBytes)
        throw new GatewayError('PAYLOAD_TOO_LARGE', `the file is ${info.file_size} bytes`, {
          details: { size: info.file_size },
        });
      let res: Response;
      try {
        res = await doFetch(info.url, { headers: auth, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new GatewayError('UNAVAILABLE', `media download failed: ${(error as Error).message}`);
      }
      if (!res.ok) throw new GatewayError('PROVIDER_ERROR', `media download answered ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > maxBytes)
        throw new GatewayError('PAYLOAD_TOO_LARGE', `the file is ${bytes.length} bytes`, {
          details: { size: bytes.length },
        });
      return { bytes, ...(info.mime_type ? { mimeType: info.mime_type.split(';')[0]!.trim() } : {}) };
    },
    async phoneNumber() {
      const info = await call<{ display_phone_number?: string; verified_name?: string }>(
        `/${options.phoneNumberId}?fields=display_phone_number,verified_name`,
        {},
        'checking the phone number id',
      );
      return {
        ...(info.display_phone_number ? { displayPhoneNumber: info.display_phone_number } : {}),
        ...(info.verified_name ? { verifiedName: info.verified_name } : {}),
      };
    },
  };
}

/** The Graph failure a `GatewayError` from this client carries, if any. */
export function graphFailure(error: unknown): GraphFailure | undefined {
  const details = (error as { details?: { graph?: GraphFailure } } | undefined)?.details;
  return details?.graph;
}

function graphError(httpStatus: number, json: unknown, context: string): GatewayError {
  const body = (json as { error?: { message?: string; code?: number; error_data?: { details?: string } } })
    ?.error;
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const said =
    body?.error_data?.details ??
    body?.message ??
    (json === undefined ? 'a body that is not JSON' : `HTTP ${httpStatus}`);
  const failure: GraphFailure = { httpStatus, ...(code !== undefined ? { code } : {}), message: said };
  const permanent = code !== undefined && PERMANENT_CODES.has(code);
  let message: string;
  if (code === REENGAGEMENT_CODE)
    message = `cannot send ${context}: more than 24 hours have passed since they last wrote (WhatsApp error 131047); outside that window WhatsApp only delivers approved template messages, so this reply was not sent`;
  else if (httpStatus === 401 || code === 190)
    message = `WhatsApp rejected the access token (${code ?? httpStatus}: ${said}); check WHATSAPP_ACCESS_TOKEN or run \`krabkrab channels add whatsapp\``;
  else
    message = `WhatsApp Graph API refused ${context || 'the call'} (${code !== undefined ? `error ${code}, ` : ''}HTTP ${httpStatus}): ${said}`;
  return new GatewayError(httpStatus === 429 ? 'RATE_LIMITED' : 'PROVIDER_ERROR', message, {
    // Only what WhatsApp will never deliver is final; a refused token may be fixed while retries run.
    retryable: !permanent,
    details: { graph: failure },
  });
}
