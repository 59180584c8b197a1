import { GatewayError } from '../../errors';
import { providerFetch } from './provider-fetch';
import type { VoiceSettings } from './settings';

export interface TwilioCallResource {
  sid: string;
  status: string;
}

function credentials(settings: VoiceSettings): { sid: string; auth: string } {
  const { accountSid, authToken } = settings.twilio;
  if (!accountSid || !authToken) {
    throw new GatewayError(
      'UNAVAILABLE',
      'Twilio is not set up: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
    );
  }
  return { sid: accountSid, auth: `Basic ${btoa(`${accountSid}:${authToken}`)}` };
}

function callsUrl(settings: VoiceSettings, sid: string, callSid?: string): string {
  const base = `${settings.twilio.apiBase}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Calls`;
  return callSid ? `${base}/${encodeURIComponent(callSid)}.json` : `${base}.json`;
}

export interface TwilioCallRequest {
  to: string;
  from: string;
  /** The webhook that returns the call's TwiML; without a public URL, `twiml` says the message and hangs up. */
  url?: string;
  twiml?: string;
  statusCallback?: string;
  timeLimitSeconds: number;
}

/** Places a call: `POST /2010-04-01/Accounts/{sid}/Calls.json`. https://www.twilio.com/docs/voice/api/call-resource */
export async function createTwilioCall(
  settings: VoiceSettings,
  request: TwilioCallRequest,
): Promise<TwilioCallResource> {
  const { sid, auth } = credentials(settings);
  const form = new URLSearchParams({
    To: request.to,
    From: request.from,
    TimeLimit: String(request.timeLimitSeconds),
  });
  if (request.url) form.set('Url', request.url);
  if (request.twiml) form.set('Twiml', request.twiml);
  if (request.statusCallback) {
    form.set('StatusCallback', request.statusCallback);
    form.set('StatusCallbackMethod', 'POST');
    for (const event of ['initiated', 'ringing', 'answered', 'completed'])
      form.append('StatusCallbackEvent', event);
  }
  const body = (await providerFetch('Twilio', callsUrl(settings, sid), {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  })) as Partial<TwilioCallResource>;
  if (typeof body.sid !== 'string')
    throw new GatewayError('PROVIDER_ERROR', 'Twilio API answered without a call sid');
  return { sid: body.sid, status: String(body.status ?? 'queued') };
}

/** Ends a call: `completed` hangs up a live call, `canceled` stops one not yet answered. */
export async function endTwilioCall(settings: VoiceSettings, callSid: string, live: boolean): Promise<void> {
  const { sid, auth } = credentials(settings);
  await providerFetch('Twilio', callsUrl(settings, sid, callSid), {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Status: live ? 'completed' : 'canceled' }).toString(),
  });
}
