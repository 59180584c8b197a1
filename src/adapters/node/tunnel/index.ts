import type { GatewayContext } from '../../../core/context';
import { planTunnels, type TunnelPlan } from '../../../core/tunnel/plan';
import {
  clearTunnels,
  reportTunnel,
  TUNNEL_URL_KEY,
  type TunnelStateContext,
} from '../../../core/tunnel/state';
import { type RestartContext, restartOnChange } from '../restart-on-change';
import type { NodeService } from '../services';
import type { RunningTunnel, TunnelRunner } from './types';

/** A configured public URL needs no process: it is announced like a tunnel's. */
const startFixed: TunnelRunner = async (host) => {
  await host.report({ state: 'up', url: host.plan.url!.replace(/\/+$/, '') });
  return { stop: () => host.report({ state: 'stopped' }) };
};

// A tunnel's code is loaded when one is configured.
const RUNNERS: Record<TunnelPlan['provider'], TunnelRunner> = {
  ngrok: async (host) => (await import('../service-parts')).startNgrok(host),
  tailscale: async (host) => (await import('../service-parts')).startTailscale(host),
  fixed: startFixed,
};

/** What the tunnels read: their state, the env (plans, tokens), and `waitUntil` for registering voice webhooks. */
type TunnelContext = TunnelStateContext & Pick<GatewayContext, 'env' | 'waitUntil'>;

async function startAll(
  ctx: TunnelContext,
  plans: TunnelPlan[],
  port: number,
  stateDir: string,
): Promise<RunningTunnel[]> {
  const running: RunningTunnel[] = [];
  for (const plan of plans) {
    let registered: string | undefined;
    const report: Parameters<TunnelRunner>[0]['report'] = async (patch) => {
      await reportTunnel(ctx, plan, patch);
      // A new tunnel URL for the voice webhooks: tell the provider (a free ngrok URL changes at every start).
      if (
        patch.state === 'up' &&
        patch.url &&
        patch.url !== registered &&
        plan.provider !== 'fixed' &&
        plan.users.includes('voice-call')
      ) {
        registered = patch.url;
        const url = patch.url;
        ctx.waitUntil(import('../service-parts').then((module) => module.registerVoiceWebhooks(ctx, url)));
      }
    };
    try {
      running.push(await RUNNERS[plan.provider]({ ctx, plan, port, stateDir, report }));
    } catch (error) {
      ctx.log.scope('tunnel').error(`${plan.provider} tunnel failed to start`, error);
      await report({ state: 'failed', error: (error as Error).message });
    }
  }
  return running;
}

async function stopAll(running: RunningTunnel[]): Promise<void> {
  for (const tunnel of running.splice(0).reverse()) await tunnel.stop().catch(() => {});
}

/**
 * The gateway's tunnels (ngrok, Tailscale Funnel) or its fixed public URL, from
 * `gateway.tunnel` / `gateway.publicUrl` and the voice plugin's own `tunnel`. Restarted when a
 * config change alters them.
 */
export const tunnelService: NodeService<TunnelContext & RestartContext> = {
  name: 'tunnel',
  async start({ ctx, port, stateDir }) {
    // A URL left from the last run would point webhooks at a dead tunnel.
    await ctx.store.remove(TUNNEL_URL_KEY);
    return restartOnChange({
      ctx,
      scope: 'tunnel',
      restarting: 'tunnel settings changed; restarting tunnels',
      signature: () => JSON.stringify(planTunnels(ctx.config(), ctx.env)),
      async start() {
        const running = await startAll(ctx, planTunnels(ctx.config(), ctx.env), port, stateDir);
        return {
          async stop() {
            await stopAll(running);
            clearTunnels(ctx);
            await ctx.store.remove(TUNNEL_URL_KEY).catch(() => {});
          },
        };
      },
    });
  },
};
