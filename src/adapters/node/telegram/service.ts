import { resolveTelegramToken, telegramConfigOf } from '../../../core/channels/telegram/settings';
import type { GatewayContext } from '../../../core/context';
import type { NodeService } from '../services';
import { startTelegramRun, type TelegramRun } from './run';

/**
 * The Telegram channel on Node. It restarts when its config or its token changes: the CLI's
 * `channels add telegram` stores a token and rewrites krabkrab.json, which the gateway reloads.
 */
export const telegramService: NodeService = {
  name: 'telegram',
  async start({ ctx }) {
    let run: TelegramRun | undefined = startTelegramRun(ctx);
    let signature = await signatureOf(ctx);
    let queue: Promise<void> = Promise.resolve();
    const unsubscribe = ctx.configStore.onChange(() => {
      queue = queue.then(async () => {
        const next = await signatureOf(ctx);
        if (next === signature) return;
        signature = next;
        ctx.log.scope('telegram').info('config changed, restarting the channel');
        await run?.stop();
        run = startTelegramRun(ctx);
      });
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

/** What a run depends on: the channel's config and the token in use (compared, never logged). */
async function signatureOf(ctx: GatewayContext): Promise<string> {
  const config = telegramConfigOf(ctx);
  const token = await resolveTelegramToken(ctx, config).catch(() => undefined);
  return JSON.stringify([config, token?.value ?? null]);
}
