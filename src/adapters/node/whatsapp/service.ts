import type { ChannelContext } from '../../../core/channels/channel-def';
import {
  resolveAccessToken,
  whatsappConfigOf,
  whatsappEnabled,
  whatsappMode,
} from '../../../core/channels/whatsapp/settings';
import { channelRunService } from '../channel-run-service';
import { linkedNumber } from './web-session';

/**
 * WhatsApp on Node: mode `cloud` (webhooks; this service checks the credentials and registers the
 * adapter) or mode `web` (a linked device through Baileys, loaded only then). It restarts when
 * its config, its token or the stored WhatsApp Web session changes.
 */
export const whatsappService = channelRunService<ChannelContext>(
  'whatsapp',
  async (ctx, stateDir) => {
    const config = whatsappConfigOf(ctx);
    const token = await resolveAccessToken(ctx, config).catch(() => undefined);
    const linked = whatsappMode(config) === 'web' ? await linkedNumber(stateDir) : undefined;
    return JSON.stringify([config, token?.value ?? null, linked ?? null]);
  },
  (ctx, stateDir) => {
    const config = whatsappConfigOf(ctx);
    if (!whatsappEnabled(ctx.env, config)) {
      if (ctx.config().channels?.whatsapp) ctx.channels.setStatus('whatsapp', { state: 'disabled' });
      return undefined;
    }
    if (whatsappMode(config) === 'cloud')
      return import('../service-parts').then((module) => module.startWhatsAppCloudRun(ctx));
    // The web runner (and through it Baileys) is loaded only for mode "web".
    let run: { stop(): Promise<void> } | undefined;
    const loading = import('./web-run').then((module) => {
      run = module.startWhatsAppWebRun(ctx, stateDir);
    });
    return {
      async stop() {
        await loading.catch(() => {});
        await run?.stop();
      },
    };
  },
);
