import { startChannelLogin } from '../../channels/login';
import * as z from '../../zod';
import { defineMethod } from '../method';

/**
 * Links WhatsApp Web or Signal from the Control UI: answers at once with where the linking stands;
 * the QR codes (as they rotate) and the outcome follow as `channel.login` events.
 */
export const channelsLogin = defineMethod(
  z.object({ channel: z.string().min(1).max(64), relink: z.boolean().optional() }),
  ({ channel, relink }, { ctx }) => startChannelLogin(ctx, channel, relink),
);
