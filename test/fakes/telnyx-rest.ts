import { randomBytes } from 'node:crypto';
import { startTelephonyServer, type TelephonyServer } from './telephony-server';

export const TELNYX_KEY = 'KEY0123456789_telnyx_test';

/**
 * A fake Telnyx Call Control API (`apiBase`): `POST /v2/calls` dials (returns a `v3:` call
 * control id), `POST /v2/calls/{id}/actions/{action}` accepts answer/speak/hangup/transcription
 * commands with `{"data":{"result":"ok"}}`, `PATCH /v2/call_control_applications/{id}` sets the
 * webhook URL; Bearer key checked, Telnyx's error shape otherwise.
 */
export function startFakeTelnyx(): Promise<TelephonyServer> {
  return startTelephonyServer((request) => {
    if (request.headers.authorization !== `Bearer ${TELNYX_KEY}`) {
      return {
        status: 401,
        body: {
          errors: [
            { code: '10009', title: 'Authentication failed', detail: 'The API key provided is invalid.' },
          ],
        },
      };
    }
    if (request.method === 'POST' && request.path === '/v2/calls') {
      const id = `v3:${randomBytes(12).toString('base64url')}`;
      return {
        status: 200,
        body: {
          data: {
            call_control_id: id,
            call_leg_id: randomBytes(8).toString('hex'),
            call_session_id: randomBytes(8).toString('hex'),
            is_alive: false,
            record_type: 'call',
          },
        },
      };
    }
    if (
      request.method === 'POST' &&
      /^\/v2\/calls\/[^/]+\/actions\/(answer|hangup|speak|transcription_start|transcription_stop)$/.test(
        request.path,
      )
    ) {
      return { status: 200, body: { data: { result: 'ok' } } };
    }
    const app = /^\/v2\/call_control_applications\/([^/]+)$/.exec(request.path);
    if (app && request.method === 'PATCH') {
      return {
        status: 200,
        body: {
          data: {
            id: app[1],
            record_type: 'call_control_application',
            webhook_event_url: request.json?.webhook_event_url,
          },
        },
      };
    }
    return undefined;
  });
}

/** The action a recorded request sent (`speak`), and for which call. */
export function telnyxAction(path: string): { callId: string; action: string } | undefined {
  const match = /^\/v2\/calls\/([^/]+)\/actions\/(\w+)$/.exec(path);
  return match ? { callId: decodeURIComponent(match[1]!), action: match[2]! } : undefined;
}
