import type { GatewayContext } from '../../core/context';

/** Something running that can be stopped: a channel run, a gateway connection, tunnels. */
export interface Running {
  stop(): Promise<void>;
}

/** What restarting reads: config changes, and the log its lines go to. */
export type RestartContext = Pick<GatewayContext, 'configStore' | 'log'>;

export interface RestartOnChangeOptions {
  ctx: RestartContext;
  /** Log scope of the lines it writes (`[telegram] config changed, restarting the channel`). */
  scope: string;
  /** The info line logged before a restart. */
  restarting: string;
  /** What a run depends on (config section, token, plan), compared after each change, never logged. */
  signature(): string | Promise<string>;
  /** Begins a run; undefined when there is nothing to run (disabled, not configured). */
  start(): Running | undefined | Promise<Running | undefined>;
}

/**
 * Starts a run and starts it again whenever a config change alters its signature (the gateway
 * reloads krabkrab.json, the CLI stores a secret). Restarts run one at a time, in order. A failed
 * restart is logged and does not stop later ones; the next change retries even if the signature
 * is the same, since the failed one may not have started anything. The first start throws.
 */
export async function restartOnChange(options: RestartOnChangeOptions): Promise<Running> {
  const log = options.ctx.log.scope(options.scope);
  let current: string | undefined = await options.signature();
  let run = await options.start();
  let queue: Promise<void> = Promise.resolve();
  const unsubscribe = options.ctx.configStore.onChange(() => {
    queue = queue
      .then(async () => {
        const next = await options.signature();
        if (next === current) return;
        current = undefined;
        log.info(options.restarting);
        const stopping = run;
        run = undefined;
        await stopping?.stop();
        run = await options.start();
        current = next;
      })
      .catch((error) => log.error('restart after a config change failed', error));
  });
  return {
    async stop() {
      unsubscribe();
      await queue;
      await run?.stop();
    },
  };
}
