import type { GatewayContext } from '../../context';
import { envVar } from '../../env';
import { GatewayError } from '../../errors';
import { voiceCallConfigOf } from './enabled';

export type VoiceProvider = 'twilio' | 'telnyx';

/** The voice plugin's settings with env applied (env wins for secrets) and defaults filled in. */
export interface VoiceSettings {
  provider: VoiceProvider;
  fromNumber?: string;
  twilio: { accountSid?: string; authToken?: string; apiBase: string };
  telnyx: { apiKey?: string; connectionId?: string; publicKey?: string; apiBase: string };
  inbound: { policy: 'allowlist' | 'open' | 'disabled'; allowFrom: string[] };
  greeting: string;
  agentId?: string;
  voice?: string;
  language: string;
  maxCallMs: number;
  replyWaitMs: number;
  registerWebhooks: boolean;
}

export const DEFAULT_GREETING = 'Hello! How can I help you?';

/** The settings when the plugin is enabled; undefined otherwise. */
export function voiceSettings(ctx: Pick<GatewayContext, 'config' | 'env'>): VoiceSettings | undefined {
  const config = voiceCallConfigOf(ctx.config());
  if (!config) return undefined;
  return {
    provider: config.provider ?? 'twilio',
    ...(config.fromNumber ? { fromNumber: config.fromNumber } : {}),
    twilio: {
      accountSid: envVar(ctx.env, 'TWILIO_ACCOUNT_SID') ?? config.twilio?.accountSid,
      authToken: envVar(ctx.env, 'TWILIO_AUTH_TOKEN') ?? config.twilio?.authToken,
      apiBase: (config.twilio?.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, ''),
    },
    telnyx: {
      apiKey: envVar(ctx.env, 'TELNYX_API_KEY') ?? config.telnyx?.apiKey,
      connectionId: config.telnyx?.connectionId,
      publicKey: envVar(ctx.env, 'TELNYX_PUBLIC_KEY') ?? config.telnyx?.publicKey,
      apiBase: (config.telnyx?.apiBase ?? 'https://api.telnyx.com').replace(/\/+$/, ''),
    },
    inbound: { policy: config.inbound?.policy ?? 'allowlist', allowFrom: config.inbound?.allowFrom ?? [] },
    greeting: config.greeting ?? DEFAULT_GREETING,
    ...(config.agentId ? { agentId: config.agentId } : {}),
    ...(config.voice ? { voice: config.voice } : {}),
    language: config.language ?? 'en-US',
    maxCallMs: (config.maxCallMinutes ?? 10) * 60_000,
    replyWaitMs: Math.round((config.replyWaitSeconds ?? 8) * 1000),
    registerWebhooks: config.registerWebhooks ?? true,
  };
}

/** The settings, or a clear UNAVAILABLE error naming what to configure. */
export function requireVoiceSettings(ctx: Pick<GatewayContext, 'config' | 'env'>): VoiceSettings {
  const settings = voiceSettings(ctx);
  if (!settings) {
    throw new GatewayError(
      'UNAVAILABLE',
      'voice calls are off: enable plugins.entries.voice-call in krabkrab.json',
    );
  }
  return settings;
}

/** A phone number shown in logs: enough to recognise, not the whole number. */
export function maskNumber(number: string): string {
  return number.length > 6 ? `${number.slice(0, 3)}…${number.slice(-4)}` : number;
}
