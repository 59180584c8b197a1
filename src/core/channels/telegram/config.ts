import { z } from 'zod';
import { allowFrom, dmPolicy, groupPolicy } from '../../config/sections/policy';

export const telegramConfig = z.strictObject({
  enabled: z.boolean().optional(),
  /** Prefer `TELEGRAM_BOT_TOKEN` in env; env wins over this. */
  botToken: z.string().optional(),
  dmPolicy: dmPolicy.optional(),
  allowFrom: allowFrom.optional(),
  groupPolicy: groupPolicy.optional(),
  groups: z
    .record(z.string(), z.strictObject({ allow: z.boolean().optional(), requireMention: z.boolean().optional() }))
    .optional(),
  requireMention: z.boolean().optional(),
  /** A public https URL, or `auto` for the gateway tunnel's URL; polling when absent. */
  webhookUrl: z.union([z.literal('auto'), z.url()]).optional(),
  webhookPath: z.string().startsWith('/').optional(),
  webhookSecret: z.string().optional(),
  apiRoot: z.url().optional(),
});

export type TelegramConfig = z.infer<typeof telegramConfig>;
