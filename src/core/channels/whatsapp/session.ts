import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { createGraphClient, type GraphClient } from './graph';
import { graphApiRoot, resolveAccessToken, whatsappConfigOf } from './settings';

export type GraphContext = Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config'>;

/**
 * The Graph API client for the configured number and token (env > config > stored). A missing
 * phone number id or token is a clear `UNAVAILABLE`, never a crash.
 */
export async function openGraph(ctx: GraphContext): Promise<{ graph: GraphClient; phoneNumberId: string }> {
  const config = whatsappConfigOf(ctx);
  if (!config.phoneNumberId)
    throw new GatewayError(
      'UNAVAILABLE',
      'channels.whatsapp.phoneNumberId is not set; run `krabkrab channels add whatsapp`',
    );
  const token = await resolveAccessToken(ctx, config);
  if (!token)
    throw new GatewayError(
      'UNAVAILABLE',
      'no WhatsApp access token: set WHATSAPP_ACCESS_TOKEN or run `krabkrab channels add whatsapp`',
    );
  return {
    phoneNumberId: config.phoneNumberId,
    graph: createGraphClient({
      root: graphApiRoot(ctx.env, config),
      phoneNumberId: config.phoneNumberId,
      token: token.value,
    }),
  };
}
