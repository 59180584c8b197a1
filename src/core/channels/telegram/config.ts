import { allowFrom, dmPolicy, groupPolicy, groupTable, previewMode } from '../../config/sections/policy';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `channels.telegram`, built on first use: a start builds only the channels its config has. */
export const telegramConfig = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().optional(),
    /** Prefer `TELEGRAM_BOT_TOKEN` in env; env wins over this. */
    botToken: z.string().optional(),
    dmPolicy: dmPolicy.optional(),
    allowFrom: allowFrom.optional(),
    groupPolicy: groupPolicy.optional(),
    groups: groupTable.optional(),
    requireMention: z.boolean().optional(),
    /** A public https URL, or `auto` for the gateway tunnel's URL; polling when absent. */
    webhookUrl: z.union([z.literal('auto'), z.url()]).optional(),
    webhookPath: z.string().startsWith('/').optional(),
    /** Prefer `TELEGRAM_WEBHOOK_SECRET` in env; generated and stored when neither is set. Telegram allows 1-256 of A-Z a-z 0-9 _ -. */
    webhookSecret: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,256}$/,
        'expected 1-256 characters of A-Z, a-z, 0-9, _ and - (what Telegram accepts as secret_token)',
      )
      .optional(),
    /** Reply previews: the answer grows in one edited message. Default `edit` in the owners' DMs, `off` elsewhere. */
    preview: previewMode.optional(),
    /** Another Bot API server (a local `telegram-bot-api`); env `TELEGRAM_API_ROOT` wins. */
    apiRoot: z.url().optional(),
  }),
);

export type TelegramConfig = z.infer<typeof telegramConfig>;
