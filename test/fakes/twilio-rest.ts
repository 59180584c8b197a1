import { randomBytes } from 'node:crypto';
import { startTelephonyServer, type TelephonyServer } from './telephony-server';

export const TWILIO_SID = 'AC00000000000000000000000000000001';
export const TWILIO_TOKEN = 'twilio-auth-token-for-tests-0001';
/** The one phone number the fake account owns. */
export const TWILIO_NUMBER = '+15550001111';
const NUMBER_SID = 'PN00000000000000000000000000000001';

/**
 * A fake Twilio REST API (`apiBase`): `POST /2010-04-01/Accounts/{sid}/Calls.json` creates a call
 * (`CA...`, status queued), `POST .../Calls/{CallSid}.json` updates one; Basic auth checked
 * against the test account, with Twilio's own 401 body (code 20003) otherwise. The account owns
 * `TWILIO_NUMBER` (`IncomingPhoneNumbers.json?PhoneNumber=...`, `POST .../IncomingPhoneNumbers/{sid}.json`).
 */
export function startFakeTwilio(): Promise<TelephonyServer> {
  const calls = new Map<string, { status: string }>();
  return startTelephonyServer((request) => {
    const expected = `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return {
        status: 401,
        body: {
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
      };
    }
    const create = /^\/2010-04-01\/Accounts\/(AC\w+)\/Calls\.json$/.exec(request.path);
    if (create && request.method === 'POST') {
      const form = request.form ?? new URLSearchParams();
      if (!form.get('To') || !form.get('From') || !(form.get('Url') || form.get('Twiml'))) {
        return { status: 400, body: { code: 21201, message: 'Required parameter missing', status: 400 } };
      }
      const sid = `CA${randomBytes(16).toString('hex')}`;
      calls.set(sid, { status: 'queued' });
      return {
        status: 201,
        body: {
          sid,
          account_sid: create[1],
          to: form.get('To'),
          from: form.get('From'),
          status: 'queued',
          direction: 'outbound-api',
        },
      };
    }
    const update = /^\/2010-04-01\/Accounts\/AC\w+\/Calls\/(CA\w+)\.json$/.exec(request.path);
    if (update && request.method === 'POST') {
      const call = calls.get(update[1]!);
      if (!call)
        return {
          status: 404,
          body: { code: 20404, message: 'The requested resource was not found', status: 404 },
        };
      call.status = request.form?.get('Status') ?? call.status;
      return { status: 200, body: { sid: update[1], status: call.status } };
    }
    const numbers = /^\/2010-04-01\/Accounts\/AC\w+\/IncomingPhoneNumbers\.json\?PhoneNumber=(.+)$/.exec(
      request.path,
    );
    if (numbers && request.method === 'GET') {
      const owned = decodeURIComponent(numbers[1]!) === TWILIO_NUMBER;
      return {
        status: 200,
        body: {
          incoming_phone_numbers: owned
            ? [{ sid: NUMBER_SID, phone_number: TWILIO_NUMBER, voice_url: '' }]
            : [],
        },
      };
    }
    if (request.method === 'POST' && request.path.endsWith(`/IncomingPhoneNumbers/${NUMBER_SID}.json`)) {
      return {
        status: 200,
        body: { sid: NUMBER_SID, phone_number: TWILIO_NUMBER, voice_url: request.form?.get('VoiceUrl') },
      };
    }
    return undefined;
  });
}
