import type { GatewayContext } from '../../context';
import { voiceSettings } from './settings';
import { voicePublicBase } from './webhook-url';

/** The `voice` section of `status`: what is set up, and where the provider must send webhooks. */
export function voiceStatusSection(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'events'>,
): Record<string, unknown> {
  const settings = voiceSettings(ctx);
  if (!settings) return { enabled: false };
  const base = voicePublicBase(ctx);
  const ready =
    settings.provider === 'twilio'
      ? Boolean(settings.twilio.accountSid && settings.twilio.authToken)
      : Boolean(settings.telnyx.apiKey && settings.telnyx.publicKey);
  return {
    enabled: true,
    provider: settings.provider,
    credentials: ready
      ? 'set'
      : `missing (${settings.provider === 'twilio' ? 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN' : 'TELNYX_API_KEY, TELNYX_PUBLIC_KEY'})`,
    fromNumber: settings.fromNumber ?? null,
    inbound: { policy: settings.inbound.policy, allowed: settings.inbound.allowFrom.length },
    webhookUrl: base
      ? `${base}/voice/${settings.provider === 'twilio' ? 'twilio/incoming' : 'telnyx/events'}`
      : null,
  };
}
