import type { GatewayContext } from '../context';
import { type TunnelPlan, type TunnelUser, tunnelChoice } from './plan';

export type TunnelState = 'starting' | 'up' | 'restarting' | 'failed' | 'stopped';

/** What `status` shows for one tunnel. */
export interface TunnelStatus {
  provider: TunnelPlan['provider'];
  state: TunnelState;
  users: TunnelUser[];
  primary: boolean;
  url?: string;
  paths?: string[];
  restarts: number;
  /** Why it is down, in words the owner can act on. */
  error?: string;
  since: number;
}

/** The key the primary public URL is kept at, for whoever registers webhooks (Telegram's `webhookUrl: "auto"`). */
export const TUNNEL_URL_KEY = 'state:tunnel-url';

/** What the tunnels' state reads: the config (which tunnel serves whom), the store and events it announces a URL on. */
export type TunnelStateContext = Pick<GatewayContext, 'config' | 'store' | 'log' | 'clock' | 'events'>;

const registries = new WeakMap<object, Map<string, TunnelStatus>>();

function registry(ctx: object): Map<string, TunnelStatus> {
  let map = registries.get(ctx);
  if (!map) {
    map = new Map();
    registries.set(ctx, map);
  }
  return map;
}

/**
 * Records a tunnel's state. When it comes up with a new URL: logs `[tunnel] public URL ...`,
 * and for the primary tunnel emits `tunnel.url` and stores the URL at `state:tunnel-url`.
 */
export async function reportTunnel(
  ctx: Pick<GatewayContext, 'store' | 'log' | 'clock' | 'events'>,
  plan: Pick<TunnelPlan, 'provider' | 'users' | 'primary' | 'paths'>,
  patch: { state: TunnelState; url?: string; error?: string; restarts?: number },
): Promise<void> {
  const map = registry(ctx);
  const previous = map.get(plan.provider);
  const status: TunnelStatus = {
    provider: plan.provider,
    users: plan.users,
    primary: plan.primary,
    ...(plan.provider === 'tailscale' ? { paths: plan.paths } : {}),
    state: patch.state,
    url: patch.url ?? (patch.state === 'up' ? previous?.url : undefined),
    restarts: patch.restarts ?? previous?.restarts ?? 0,
    ...(patch.error ? { error: patch.error } : {}),
    since: previous?.state === patch.state ? previous.since : ctx.clock.now(),
  };
  map.set(plan.provider, status);
  ctx.events.emit('tunnel.status', status);
  if (status.state !== 'up' || !status.url || (status.url === previous?.url && previous.state === 'up'))
    return;
  ctx.log
    .scope('tunnel')
    .info(
      `public URL ${status.url} (${plan.provider}${plan.provider === 'tailscale' ? `, paths ${plan.paths.join(' ')}` : ''})`,
    );
  if (!plan.primary) return;
  await ctx.store.set(TUNNEL_URL_KEY, status.url);
  ctx.events.emit('tunnel.url', { url: status.url, provider: plan.provider });
}

/** Forgets the tunnels (after shutdown or a config change that removes them). */
export function clearTunnels(ctx: object): void {
  registry(ctx).clear();
}

export function tunnelStatuses(ctx: object): TunnelStatus[] {
  return [...registry(ctx).values()];
}

/** The running tunnel's URL for a provider, if it is up. */
export function liveTunnelUrl(ctx: object, provider: string): string | undefined {
  const status = registry(ctx).get(provider);
  return status?.state === 'up' ? status.url : undefined;
}

/**
 * The public base URL webhooks of a user are reached at: the running tunnel's URL, else the
 * configured public URL; undefined when neither is known.
 */
export function publicBaseUrl(ctx: TunnelStateContext, user: TunnelUser): string | undefined {
  const choice = tunnelChoice(ctx.config(), user);
  const live = choice.provider ? liveTunnelUrl(ctx, choice.provider) : undefined;
  return (live ?? choice.fixedUrl)?.replace(/\/+$/, '');
}

/** The `tunnel` section of `status`. */
export function tunnelStatusSection(ctx: TunnelStateContext): { url?: string; tunnels: TunnelStatus[] } {
  const tunnels = tunnelStatuses(ctx);
  const primary = tunnels.find((t) => t.primary && t.state === 'up');
  return { ...(primary?.url ? { url: primary.url } : {}), tunnels };
}
