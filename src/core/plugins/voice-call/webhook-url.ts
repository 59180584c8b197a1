import type { GatewayContext } from '../../context';
import { tunnelChoice } from '../../tunnel/plan';
import { liveTunnelUrl, publicBaseUrl } from '../../tunnel/state';

/** The public base URL the provider reaches the voice webhooks at, if any is known. */
export function voicePublicBase(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock' | 'events'>,
): string | undefined {
  return publicBaseUrl(ctx, 'voice-call');
}

/** The public URL of one voice webhook (`/voice/twilio/status`), if a public base is known. */
export function voiceWebhookUrl(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock' | 'events'>,
  path: string,
): string | undefined {
  const base = voicePublicBase(ctx);
  return base ? `${base}${path}` : undefined;
}

/**
 * The URLs a signed webhook may have been sent to: the running tunnel's and the configured
 * public base, each plus the request's path and query. The internal URL the gateway sees
 * (`http://127.0.0.1:3000/...`) counts only when no public URL is known at all, i.e. when the
 * provider calls the gateway directly.
 */
export function signedUrlCandidates(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock' | 'events'>,
  req: Request,
): string[] {
  const url = new URL(req.url);
  const choice = tunnelChoice(ctx.config(), 'voice-call');
  const bases = [choice.provider ? liveTunnelUrl(ctx, choice.provider) : undefined, choice.fixedUrl]
    .filter((base): base is string => Boolean(base))
    .map((base) => base.replace(/\/+$/, ''));
  if (bases.length === 0) return [req.url];
  // The exact path and query as sent: `URL` would re-encode characters Twilio signed verbatim.
  const tail = req.url.slice(url.origin.length);
  return [...new Set(bases.map((base) => base + tail))];
}
