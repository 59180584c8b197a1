import { GatewayError } from '../../errors';
import { providerFetch } from './provider-fetch';
import type { VoiceSettings } from './settings';

function authHeader(settings: VoiceSettings): string {
  if (!settings.telnyx.apiKey)
    throw new GatewayError('UNAVAILABLE', 'Telnyx is not set up: set TELNYX_API_KEY');
  return `Bearer ${settings.telnyx.apiKey}`;
}

/** The Call Control commands the gateway sends. https://developers.telnyx.com/api/call-control */
export type TelnyxAction = 'answer' | 'hangup' | 'speak' | 'transcription_start' | 'transcription_stop';

/** `POST /v2/calls/{call_control_id}/actions/{action}`. */
export async function telnyxCommand(
  settings: VoiceSettings,
  callControlId: string,
  action: TelnyxAction,
  body: Record<string, unknown> = {},
): Promise<void> {
  await providerFetch(
    'Telnyx',
    `${settings.telnyx.apiBase}/v2/calls/${encodeURIComponent(callControlId)}/actions/${action}`,
    {
      method: 'POST',
      headers: { authorization: authHeader(settings), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
}

export interface TelnyxDialRequest {
  to: string;
  from: string;
  webhookUrl?: string;
  timeLimitSeconds: number;
}

/** Places a call through the Call Control application: `POST /v2/calls`. */
export async function createTelnyxCall(
  settings: VoiceSettings,
  request: TelnyxDialRequest,
): Promise<{ callControlId: string }> {
  const connectionId = settings.telnyx.connectionId;
  if (!connectionId)
    throw new GatewayError(
      'UNAVAILABLE',
      'Telnyx needs plugins.entries.voice-call.config.telnyx.connectionId (the Call Control app)',
    );
  const body = (await providerFetch('Telnyx', `${settings.telnyx.apiBase}/v2/calls`, {
    method: 'POST',
    headers: { authorization: authHeader(settings), 'content-type': 'application/json' },
    body: JSON.stringify({
      connection_id: connectionId,
      to: request.to,
      from: request.from,
      time_limit_secs: request.timeLimitSeconds,
      ...(request.webhookUrl ? { webhook_url: request.webhookUrl, webhook_url_method: 'POST' } : {}),
    }),
  })) as { data?: { call_control_id?: unknown } };
  const id = body.data?.call_control_id;
  if (typeof id !== 'string')
    throw new GatewayError('PROVIDER_ERROR', 'Telnyx API answered without a call_control_id');
  return { callControlId: id };
}

/** Telnyx speech options from the settings (`voice` is required by the API). */
export function telnyxSpeech(settings: VoiceSettings, text: string): Record<string, unknown> {
  return { payload: text, voice: settings.voice ?? 'female', language: settings.language };
}
