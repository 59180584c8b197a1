import type { ChannelContext, ChannelDef } from '../../core/channels/channel-def';
import { isGatewayError } from '../../core/errors';
import { createBackoff } from '../../core/runtime/backoff';
import { resolveSecret } from '../../core/secrets';
import { channelRunService } from './channel-run-service';
import type { RestartContext } from './restart-on-change';
import type { NodeService } from './services';

/** Logging in again after a network error, a 5xx or a rate limit (as WhatsApp's Cloud login does). */
export const LOGIN_BACKOFF_MS = { first: 1_000, max: 60_000 };

/**
 * The Node service of a channel that has none of its own (Slack): while `ChannelDef.enabled`
 * says it runs, its outbound adapter is registered (replies to its webhooks), it logs in
 * (`whoami`; a network error, 5xx or rate limit is retried with backoff, a refused token is one
 * error line), and its `connect` (Socket Mode) is kept open with `ws`. A change of its config
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
      const abort = new AbortController();
      const running = start(def, ctx, abort.signal);
      return {
        async stop() {
          abort.abort();
          (await running.catch(() => undefined))?.stop();
          ctx.channels.setStatus(def.id, { state: 'stopped' });
        },
      };
    },
  );
}

async function start(
  def: ChannelDef,
  ctx: ChannelContext,
  signal: AbortSignal,
): Promise<{ stop(): void } | undefined> {
  // The channels' lazy parts come with the route handlers: one lazy chunk (see core/channels/lazy.ts).
  const parts = await import('../../handlers/route-handlers');
  const adapter = def.outbound?.(ctx, parts);
  if (adapter) ctx.channels.register(adapter);
  ctx.channels.setStatus(def.id, { state: 'starting' });
  const name = await logIn(def, ctx, signal);
  if (name === null || signal.aborted) return undefined;
  const login = name ? { login: name } : {};
  const { WebSocket } = def.connect ? await import('ws') : { WebSocket: undefined };
  const connection = WebSocket && (await def.connect?.(ctx, (url) => new WebSocket(url) as never, parts));
  // Without a connection of its own the channel is its webhooks: up once logged in.
  if (!connection) ctx.channels.setStatus(def.id, { state: 'connected', mode: 'webhook', ...login });
  return connection;
}

/**
 * The bot's name (`whoami`), undefined for a channel without one; null when it cannot log in
 * (said, status failed) or was stopped. Only a retryable error that is not a refused credential
 * (401/403) is tried again.
 */
async function logIn(
  def: ChannelDef,
  ctx: ChannelContext,
  signal: AbortSignal,
): Promise<string | undefined | null> {
  const log = ctx.log.scope(def.id);
  const backoff = createBackoff(ctx.clock, LOGIN_BACKOFF_MS);
  while (!signal.aborted) {
    try {
      const name = await def.whoami?.(ctx);
      if (name) log.info(`logged in to ${def.id} as ${name}`);
      return name;
    } catch (error) {
      if (signal.aborted) return null;
      const message = (error as Error).message;
      const again = isGatewayError(error) && error.retryable && error.status !== 401 && error.status !== 403;
      if (!again) {
        log.error(`cannot log in: ${message}`);
        ctx.channels.setStatus(def.id, { state: 'failed', error: message });
        return null;
      }
      log.warn(`cannot log in: ${message}; retrying in ${backoff.delay / 1000} s`);
      ctx.channels.setStatus(def.id, { state: 'reconnecting', error: message });
      await backoff.wait(signal);
    }
  }
  return null;
}
