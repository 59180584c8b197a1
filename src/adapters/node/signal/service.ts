import { signalConfigOf } from '../../../core/channels/signal/settings';
import type { GatewayContext } from '../../../core/context';
import { channelRunService } from '../channel-run-service';
import type { SignalRunContext } from './run';

/** Signal through signal-cli on Node; restarts when `channels.signal` changes. Its code loads once the config has the section. */
export const signalService = channelRunService<SignalRunContext & Pick<GatewayContext, 'env'>>(
  'signal',
  async (ctx) => JSON.stringify(signalConfigOf(ctx)),
  async (ctx) =>
    ctx.config().channels?.signal
      ? (await import('../service-parts')).startSignalRun(ctx, { ...ctx.env })
      : undefined,
);
