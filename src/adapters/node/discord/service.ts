import type { ChannelContext } from '../../../core/channels/channel-def';
import { createDiscordChannel } from '../../../core/channels/discord/channel';
import { createChannelCache } from '../../../core/channels/discord/channel-cache';
import { DISCORD, DISCORD_TOKEN_SECRET } from '../../../core/channels/discord/def';
import { toAcceptedMessage } from '../../../core/channels/discord/inbound';
import type { DiscordMessage } from '../../../core/channels/discord/payloads';
import {
  createDiscordRest,
  type DiscordRest,
  discordApiBase,
  discordGatewayUrl,
} from '../../../core/channels/discord/rest';
import type { GatewayContext } from '../../../core/context';
import { resolveSecret } from '../../../core/secrets';
import { type RestartContext, restartOnChange } from '../restart-on-change';
import type { NodeService } from '../services';
import { type DiscordConnection, openDiscordConnection } from './connection';
import { nodeMakeRequest } from './http-request';

/** What decides whether (and how) the connection runs; a change of any of these reconnects. */
interface Settings {
  enabled: boolean;
  token?: string;
  apiBase: string;
  gatewayUrl?: string;
}

/**
 * Whether the channel runs is `DISCORD.enabled` (the decision doctor and status share): `true`
 * runs it, `false` never; left out, it runs when `DISCORD_BOT_TOKEN` or `channels.discord.token`
 * is set (`krabkrab channels add discord` stores the token and sets `enabled: true`). The token
 * itself: env > config > the stored one.
 */
export async function discordSettings(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'logs'>,
): Promise<Settings> {
  const config = ctx.config();
  const enabled = DISCORD.enabled(config, ctx.env);
  const token = enabled
    ? await resolveSecret(ctx, DISCORD_TOKEN_SECRET, config.channels?.discord?.token)
    : undefined;
  const gatewayUrl = discordGatewayUrl(config, ctx.env);
  return {
    enabled,
    ...(token ? { token } : {}),
    apiBase: discordApiBase(config, ctx.env),
    ...(gatewayUrl ? { gatewayUrl } : {}),
  };
}

/** The Discord gateway connection as a long-running Node service; SDKs load only when it runs. */
export const discordService: NodeService<ChannelContext & RestartContext> = {
  name: 'discord',
  start: ({ ctx }) => {
    const log = ctx.log.scope('discord');
    return restartOnChange({
      ctx,
      scope: 'discord',
      restarting: 'discord settings changed; reconnecting',
      signature: async () => JSON.stringify(await discordSettings(ctx)),
      async start() {
        const settings = await discordSettings(ctx);
        if (!settings.enabled) {
          if (ctx.config().channels?.discord) ctx.channels.setStatus('discord', { state: 'disabled' });
          return undefined;
        }
        if (!settings.token) {
          const error =
            'no bot token: set DISCORD_BOT_TOKEN (fly secrets set DISCORD_BOT_TOKEN=...) or run krabkrab channels add discord';
          log.error(error);
          ctx.channels.setStatus('discord', { state: 'failed', error });
          return undefined;
        }
        // A failed start is logged, not thrown: the gateway runs on without Discord.
        return runDiscord(ctx, { ...settings, token: settings.token }).catch((error) => {
          log.error('discord failed to start', error);
          return undefined;
        });
      },
    });
  },
};

/** Registers the channel with the pipeline, opens the gateway socket, and hands each message to `ctx.pipeline`. */
async function runDiscord(
  ctx: Pick<GatewayContext, 'config' | 'log' | 'logs' | 'clock' | 'channels' | 'pipeline'>,
  settings: Settings & { token: string },
): Promise<{ stop(): Promise<void> }> {
  const log = ctx.log.scope('discord');
  ctx.logs.redactor.add(settings.token);
  let restPromise: Promise<DiscordRest> | undefined;
  let connection: DiscordConnection | undefined;
  const rest = () => {
    if (connection) return Promise.resolve(connection.rest);
    restPromise ??= createDiscordRest({
      apiBase: settings.apiBase,
      token: settings.token,
      sweep: true,
      makeRequest: nodeMakeRequest,
    });
    return restPromise;
  };
  const adapter = createDiscordChannel({ rest, clock: ctx.clock });
  ctx.channels.register(adapter);

  const cache = createChannelCache();
  let botId: string | undefined;
  // One message after the other, so the spool keeps Discord's order within a channel.
  let inbound = Promise.resolve();
  const accept = (message: DiscordMessage) => {
    inbound = inbound
      .then(async () => {
        if (!botId || !connection) return;
        const accepted = await toAcceptedMessage(message, {
          botId,
          cache,
          rest: connection.rest,
          config: ctx.config(),
          now: ctx.clock.now(),
          apiBase: settings.apiBase,
        });
        if (accepted) await ctx.pipeline.accept(accepted);
      })
      .catch((error) => log.error(`message ${message.id} in ${message.channel_id} was not accepted`, error));
  };

  connection = await openDiscordConnection({
    token: settings.token,
    apiBase: settings.apiBase,
    ...(settings.gatewayUrl ? { gatewayUrl: settings.gatewayUrl } : {}),
    log,
    clock: ctx.clock,
    setStatus: (state, extra) => ctx.channels.setStatus('discord', { state, ...extra, mode: 'gateway' }),
    onReady: (user) => {
      botId = user.id;
    },
    onDispatch: ({ t, d }) => {
      cache.apply(t, d);
      if (t === 'MESSAGE_CREATE') accept(d as DiscordMessage);
    },
  });

  return {
    async stop() {
      adapter.stopTyping();
      await connection?.stop();
      await inbound;
      ctx.channels.setStatus('discord', { state: 'stopped' });
    },
  };
}
