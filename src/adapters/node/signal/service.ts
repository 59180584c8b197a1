import { signalConfigOf } from '../../../core/channels/signal/settings';
import { channelRunService } from '../channel-run-service';
import { startSignalRun } from './run';

/** Signal through signal-cli on Node; restarts when `channels.signal` changes. */
export const signalService = channelRunService(
  'signal',
  async (ctx) => JSON.stringify(signalConfigOf(ctx)),
  (ctx) => startSignalRun(ctx, { ...ctx.env }),
);
