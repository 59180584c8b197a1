import type { GatewayContext } from '../../core/context';
import { restartOnChange } from './restart-on-change';
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
 * for it, so the channel is registered before the gateway replays its spool).
 */
export function channelRunService(
  name: string,
  signature: (ctx: GatewayContext) => Promise<string>,
  start: (ctx: GatewayContext) => ChannelRun | undefined | Promise<ChannelRun | undefined>,
): NodeService {
  return {
    name,
    start: ({ ctx }) =>
      restartOnChange({
        ctx,
        scope: name,
        restarting: 'config changed, restarting the channel',
        signature: () => signature(ctx),
        start: () => start(ctx),
      }),
  };
}
