import { type RestartContext, restartOnChange } from './restart-on-change';
import type { NodeService } from './services';

/** One run of a channel for the config of the moment. */
export interface ChannelRun {
  stop(): Promise<void>;
}

/**
 * A Node service that runs a channel and starts it again when what it depends on changes (the
 * CLI rewrites krabkrab.json or stores a secret, the gateway reloads): `signature` says what that
 * is (compared, never logged), `start` begins a run and returns at once, or once it has imported
 * the run's code (a channel's code is loaded only when its config asks for it; the service waits
 * for it, so the channel is registered before the gateway replays its spool). `Ctx` is what the
 * channel reads of the context; the service reads config changes besides. Both get the gateway's
 * state dir too (the service object is shared, so it keeps none of a gateway's own).
 */
export function channelRunService<Ctx>(
  name: string,
  signature: (ctx: Ctx, stateDir: string) => Promise<string>,
  start: (ctx: Ctx, stateDir: string) => ChannelRun | undefined | Promise<ChannelRun | undefined>,
): NodeService<Ctx & RestartContext> {
  return {
    name,
    start: ({ ctx, stateDir }) =>
      restartOnChange({
        ctx,
        scope: name,
        restarting: 'config changed, restarting the channel',
        signature: () => signature(ctx, stateDir),
        start: () => start(ctx, stateDir),
      }),
  };
}
