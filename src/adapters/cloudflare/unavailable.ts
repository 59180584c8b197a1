import type { GatewayContext } from '../../core/context';

const NOT_HERE = 'not available on this runtime (Workers): run the Node gateway for it';

/**
 * What needs a long-lived process (sockets, pollers, child processes, a lock file) cannot run in
 * a Worker. Each such part that the config turns on is listed in `status` instead of silently missing.
 */
export const NODE_ONLY_PARTS: Array<{
  id: string;
  when(config: ReturnType<GatewayContext['config']>): boolean;
  what: string;
}> = [
  {
    id: 'discord',
    when: (c) => Boolean(c.channels?.discord?.enabled),
    what: 'the Discord gateway connection (messages); /discord/interactions works here',
  },
  {
    id: 'telegram',
    when: (c) => Boolean(c.channels?.telegram?.enabled && !c.channels.telegram.webhookUrl),
    what: 'Telegram long polling; set channels.telegram.webhookUrl to use the webhook here',
  },
  {
    id: 'signal',
    when: (c) => Boolean((c.channels as Record<string, { enabled?: boolean }> | undefined)?.signal?.enabled),
    what: 'Signal (signal-cli)',
  },
  {
    id: 'whatsapp',
    when: (c) => {
      const whatsapp = (c.channels as Record<string, { enabled?: boolean; mode?: string }> | undefined)
        ?.whatsapp;
      return Boolean(whatsapp?.enabled && whatsapp.mode === 'web');
    },
    what: 'WhatsApp Web (linked device); the Cloud API webhook works here',
  },
  {
    id: 'tunnel',
    when: (c) => Boolean(c.gateway?.tunnel?.provider && c.gateway.tunnel.provider !== 'none'),
    what: 'tunnels (ngrok, Tailscale Funnel)',
  },
];

export function reportNodeOnlyParts(ctx: GatewayContext): void {
  const config = ctx.config();
  for (const part of NODE_ONLY_PARTS) {
    if (part.when(config))
      ctx.channels.setStatus(part.id, { state: 'unavailable', error: `${part.what}: ${NOT_HERE}` });
  }
}
