import type { GatewayContext } from '../../core/context';

/** What a long-running Node service (a channel connection, a poller, a tunnel, timers) gets. */
export interface ServiceHost {
  ctx: GatewayContext;
  stateDir: string;
  port: number;
  host: string;
}

export interface ServiceHandle {
  stop(): Promise<void>;
}

/** Starts a service after the gateway listens; failing to start is logged, the gateway stays up. */
export type NodeService = { name: string; start(host: ServiceHost): Promise<ServiceHandle | undefined> };

/**
 * The Node-only services, in start order, each loaded when the gateway starts it: after it
 * listens, so their code (channel connections, tunnels, timers) is not between a start and the
 * first answered /health. Adding one is one line here.
 */
export const NODE_SERVICES: Array<{ name: string; load: () => Promise<NodeService> }> = [
  { name: 'tunnel', load: () => import('./tunnel/index').then((m) => m.tunnelService) },
  { name: 'telegram', load: () => import('./telegram/service').then((m) => m.telegramService) },
  { name: 'discord', load: () => import('./discord/service').then((m) => m.discordService) },
  { name: 'whatsapp', load: () => import('./whatsapp/service').then((m) => m.whatsappService) },
  { name: 'signal', load: () => import('./signal/service').then((m) => m.signalService) },
  { name: 'cron', load: () => import('./cron-service').then((m) => m.cronService) },
];
