import type { GatewayContext } from '../../core/context';
import type { NodeService } from './services';

/** One run of a channel for the config of the moment. */
export interface ChannelRun {
  stop(): Promise<void>;
}

/**
 * A Node service that runs a channel and starts it again when what it depends on changes (the
 * CLI rewrites krabkrab.json or stores a secret, the gateway reloads): `signature` says what that
 * is (compared, never logged), `start` begins a run and returns at once.
 */
export function channelRunService(
  name: string,
  signature: (ctx: GatewayContext) => Promise<string>,
  start: (ctx: GatewayContext) => ChannelRun | undefined,
): NodeService {
  return {
    name,
    async start({ ctx }) {
      let run = start(ctx);
      let current = await signature(ctx);
      let queue: Promise<void> = Promise.resolve();
      const unsubscribe = ctx.configStore.onChange(() => {
        queue = queue
          .then(async () => {
            const next = await signature(ctx);
            if (next === current) return;
            current = next;
            ctx.log.scope(name).info('config changed, restarting the channel');
            await run?.stop();
            run = start(ctx);
          })
          .catch((error) => ctx.log.scope(name).error('restarting the channel failed', error));
      });
      return {
        async stop() {
          unsubscribe();
          await queue;
          await run?.stop();
        },
      };
    },
  };
}
