import { discordConfig } from '../../channels/discord/config';
import { signalConfig } from '../../channels/signal/config';
import { telegramConfig } from '../../channels/telegram/config';
import { whatsappConfig } from '../../channels/whatsapp/config';
import * as z from '../../zod';

/** One line per channel: its config schema lives with the channel. */
export const channelsSection = z.strictObject({
  discord: discordConfig.optional(),
  telegram: telegramConfig.optional(),
  whatsapp: whatsappConfig.optional(),
  signal: signalConfig.optional(),
});
