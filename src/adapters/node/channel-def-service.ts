import type { ChannelContext, ChannelDef } from '../../core/channels/channel-def';
import { resolveSecret } from '../../core/secrets';
import { channelRunService } from './channel-run-service';
import type { RestartContext } from './restart-on-change';
import type { NodeService } from './services';

/**
 * The Node service of a channel that has none of its own (Slack): while `ChannelDef.enabled`
 * says it runs, its outbound adapter is registered (replies to its webhooks), it logs in
 * (`whoami`), and its `connect` (Socket Mode) is kept open with `ws`. A change of its config
 * section or of one of its secrets restarts it.
 */
export function channelDefService(def: ChannelDef): NodeService<ChannelContext & RestartContext> {
  return channelRunService<ChannelContext>(
    def.id,
    async (ctx) => {
      const section = (ctx.config().channels as Record<string, unknown> | undefined)?.[def.id] ?? null;
      const secrets = await Promise.all(
        Object.keys(def.secrets).map((name) => resolveSecret(ctx, name).catch(() => undefined)),
      );
      return JSON.stringify([section, def.enabled(ctx.config(), ctx.env), secrets]);
    },
    (ctx) => {
      if (!def.enabled(ctx.config(), ctx.env)) {
        if ((ctx.config().channels as Record<string, unknown> | undefined)?.[def.id])
          ctx.channels.setStatus(def.id, { state: 'disabled' });
        return undefined;
      }
      const running = start(def, ctx);
      return {
        async stop() {
          (await running.catch(() => undefined))?.stop();
          ctx.channels.setStatus(def.id, { state: 'stopped' });
        },
      };
    },
  );
}

async function start(def: ChannelDef, ctx: ChannelContext): Promise<{ stop(): void } | undefined> {
  const log = ctx.log.scope(def.id);
  // The channels' lazy parts come with the route handlers: one lazy chunk (see core/channels/lazy.ts).
  const parts = await import('../../handlers/route-handlers');
  const adapter = def.outbound?.(ctx, parts);
  if (adapter) ctx.channels.register(adapter);
  ctx.channels.setStatus(def.id, { state: 'starting' });
  let name: string | undefined;
  try {
    name = await def.whoami?.(ctx);
    if (name) log.info(`logged in to ${def.id} as ${name}`);
  } catch (error) {
    const message = (error as Error).message;
    log.error(`cannot log in: ${message}`);
    ctx.channels.setStatus(def.id, { state: 'failed', error: message });
    return undefined;
  }
  const login = name ? { login: name } : {};
  const { WebSocket } = def.connect ? await import('ws') : { WebSocket: undefined };
  const connection = WebSocket && (await def.connect?.(ctx, (url) => new WebSocket(url) as never, parts));
  // Without a connection of its own the channel is its webhooks: up once logged in.
  if (!connection) ctx.channels.setStatus(def.id, { state: 'connected', mode: 'webhook', ...login });
  return connection;
}
