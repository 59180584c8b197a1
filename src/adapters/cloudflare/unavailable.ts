import type { ChannelContext } from '../../core/channels/channel-def';
import { enabledChannels } from '../../core/channels/channels';
import * as parts from '../../core/channels/lazy';
import type { GatewayContext } from '../../core/context';

const NOT_HERE = 'not available on this runtime (Workers): run the Node gateway for it';

/**
 * What needs a long-lived process (sockets, pollers, child processes, a lock file) cannot run in
 * a Worker. Each such part that the config turns on is listed in `status` instead of silently
 * missing: the channels' parts as their `ChannelDef.nodeOnly` says, and tunnels.
 */
export function nodeOnlyParts(
  ctx: Pick<GatewayContext, 'config' | 'env'>,
): Array<{ id: string; what: string }> {
  const config = ctx.config();
  const parts = enabledChannels(config, ctx.env).flatMap((def) => {
    const what = def.nodeOnly?.(config, ctx.env);
    return what ? [{ id: def.id, what }] : [];
  });
  if (config.gateway?.tunnel?.provider && config.gateway.tunnel.provider !== 'none')
    parts.push({ id: 'tunnel', what: 'tunnels (ngrok, Tailscale Funnel)' });
  return parts;
}

export function reportNodeOnlyParts(ctx: Pick<GatewayContext, 'config' | 'env' | 'channels'>): void {
  for (const part of nodeOnlyParts(ctx))
    ctx.channels.setStatus(part.id, { state: 'unavailable', error: `${part.what}: ${NOT_HERE}` });
}

/** Registers the outbound adapter of each enabled channel that sends from here (webhook replies, spool replays). */
export function registerWorkerChannels(ctx: ChannelContext): void {
  for (const def of enabledChannels(ctx.config(), ctx.env)) {
    const adapter = def.outbound?.(ctx, parts);
    if (adapter) ctx.channels.register(adapter);
  }
}
