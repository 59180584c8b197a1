import { CHANNEL_LIST } from '../../core/channels/channels';
import type { GatewayContext } from '../../core/context';
import { channelDefService } from './channel-def-service';
import { channelLoginService } from './channel-login-service';
import { cronService } from './cron-service';
import { discordService } from './discord/service';
import { mcpService } from './mcp/service';
import { signalService } from './signal/service';
import { telegramService } from './telegram/service';
import { tunnelService } from './tunnel/index';
import { whatsappService } from './whatsapp/service';

/**
 * What a long-running Node service (a channel connection, a poller, a tunnel, timers) gets. The
 * gateway hands every service its whole context; each service says what it reads of it (`Ctx`).
 */
export interface ServiceHost<Ctx = GatewayContext> {
  ctx: Ctx;
  stateDir: string;
  port: number;
  host: string;
}

export interface ServiceHandle {
  stop(): Promise<void>;
}

/** Starts a service after the gateway listens; failing to start is logged, the gateway stays up. */
export type NodeService<Ctx = GatewayContext> = {
  name: string;
  start: (host: ServiceHost<Ctx>) => Promise<ServiceHandle | undefined>;
};

/** Channels with a Node service of their own; every other channel of `CHANNELS` runs through `channelDefService`. */
const CHANNEL_SERVICES = [telegramService, discordService, whatsappService, signalService];

/** The Node-only services, in start order. Adding one is one line here. */
export const NODE_SERVICES: NodeService[] = [
  tunnelService,
  ...CHANNEL_SERVICES,
  ...CHANNEL_LIST.filter((def) => !CHANNEL_SERVICES.some((service) => service.name === def.id)).map(
    channelDefService,
  ),
  cronService,
  mcpService,
  channelLoginService,
];
