import { signalConfigOf } from '../../../core/channels/signal/settings';
import { channelRunService } from '../channel-run-service';

/** Signal through signal-cli on Node; restarts when `channels.signal` changes. Its code loads once the config has the section. */
export const signalService = channelRunService(
  'signal',
  async (ctx) => JSON.stringify(signalConfigOf(ctx)),
  async (ctx) =>
    ctx.config().channels?.signal
      ? (await import('../service-parts')).startSignalRun(ctx, { ...ctx.env })
      : undefined,
);
