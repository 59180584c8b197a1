import { z } from 'zod';
import { discordConfig } from '../../channels/discord/config';
import { telegramConfig } from '../../channels/telegram/config';

/** One line per channel: its config schema lives with the channel. */
export const channelsSection = z.strictObject({
  discord: discordConfig.optional(),
  telegram: telegramConfig.optional(),
});
