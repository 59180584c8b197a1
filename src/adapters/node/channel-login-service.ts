import { attachChannelLinkers } from '../../core/channels/login';
import type { GatewayContext } from '../../core/context';
import type { NodeService } from './services';

/**
 * The QR linkings the Control UI starts with `channels.login`: WhatsApp Web (Baileys) and Signal
 * (`signal-cli link`), the same code as `krabkrab channels login <channel>`, loaded on first use.
 * The linkers are kept under the context itself (the `channels.login` method finds them there).
 */
export const channelLoginService: NodeService<Pick<GatewayContext, 'config' | 'env' | 'log'>> = {
  name: 'channel-login',
  async start({ ctx, stateDir }) {
    const stop = attachChannelLinkers(ctx, {
      async whatsapp({ onQr, relink, signal }) {
        const { linkWhatsAppWeb } = await import('./whatsapp/web-link');
        const { number } = await linkWhatsAppWeb({
          stateDir,
          env: ctx.env,
          log: ctx.log.scope('whatsapp'),
          onQr,
          relink,
          signal,
        });
        return { account: `+${number}`, config: { mode: 'web' } };
      },
      async signal({ onQr, signal }) {
        const { linkSignal } = await import('./signal/link');
        const cliPath = ctx.config().channels?.signal?.cliPath ?? 'signal-cli';
        const { account } = await linkSignal({ cliPath, env: ctx.env, onUri: onQr, signal });
        return account ? { account, config: { account } } : { config: {} };
      },
    });
    return { stop: async () => stop() };
  },
};
