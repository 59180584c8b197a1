import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { providerFetch } from './provider-fetch';
import { maskNumber, type VoiceSettings, voiceSettings } from './settings';

type Registrar = (settings: VoiceSettings, base: string) => Promise<string>;

/**
 * Twilio: finds `fromNumber` among the account's numbers and sets its voice URL and status
 * callback. https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource
 */
const registerTwilio: Registrar = async (settings, base) => {
  const { accountSid, authToken, apiBase } = settings.twilio;
  if (!accountSid || !authToken || !settings.fromNumber)
    throw new GatewayError('UNAVAILABLE', 'needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and fromNumber');
  const auth = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
  const numbers = `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/IncomingPhoneNumbers`;
  const found = (await providerFetch(
    'Twilio',
    `${numbers}.json?PhoneNumber=${encodeURIComponent(settings.fromNumber)}`,
    {
      headers: { authorization: auth },
    },
  )) as { incoming_phone_numbers?: Array<{ sid?: string }> };
  const sid = found.incoming_phone_numbers?.[0]?.sid;
  if (!sid)
    throw new GatewayError(
      'NOT_FOUND',
      `${maskNumber(settings.fromNumber)} is not a number of this Twilio account`,
    );
  const voiceUrl = `${base}/voice/twilio/incoming`;
  await providerFetch('Twilio', `${numbers}/${encodeURIComponent(sid)}.json`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      VoiceUrl: voiceUrl,
      VoiceMethod: 'POST',
      StatusCallback: `${base}/voice/twilio/status`,
      StatusCallbackMethod: 'POST',
    }).toString(),
  });
  return `Twilio number ${maskNumber(settings.fromNumber)} now sends calls to ${voiceUrl}`;
};

/** Telnyx: sets the Call Control application's webhook URL. https://developers.telnyx.com/api/call-control/update-call-control-application */
const registerTelnyx: Registrar = async (settings, base) => {
  const { apiKey, connectionId, apiBase } = settings.telnyx;
  if (!apiKey || !connectionId)
    throw new GatewayError('UNAVAILABLE', 'needs TELNYX_API_KEY and telnyx.connectionId');
  const url = `${base}/voice/telnyx/events`;
  await providerFetch(
    'Telnyx',
    `${apiBase}/v2/call_control_applications/${encodeURIComponent(connectionId)}`,
    {
      method: 'PATCH',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ webhook_event_url: url }),
    },
  );
  return `Telnyx application ${connectionId} now sends events to ${url}`;
};

const REGISTRARS: Record<VoiceSettings['provider'], Registrar> = {
  twilio: registerTwilio,
  telnyx: registerTelnyx,
};

/**
 * Points the provider at a new public base URL (a tunnel that came up or changed), so inbound
 * calls reach this gateway without editing the provider's console. Failures are logged, not thrown.
 */
export async function registerVoiceWebhooks(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'log'>,
  base: string,
): Promise<void> {
  const settings = voiceSettings(ctx);
  if (!settings?.registerWebhooks) return;
  const log = ctx.log.scope('voice');
  try {
    log.info(await REGISTRARS[settings.provider](settings, base.replace(/\/+$/, '')));
  } catch (error) {
    log.warn(
      `could not point ${settings.provider} at ${base}: ${(error as Error).message}; set the webhook URL in the provider's console`,
    );
  }
}
