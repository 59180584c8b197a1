import { allowFrom, dmPolicy, groupPolicy, previewMode } from '../../config/sections/policy';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `channels.discord`, built on first use: a start builds only the channels its config has. */
export const discordConfig = lazySchema(() => {
  const discordGuildConfig = z.strictObject({
    /** Channels by name (`general`) or id; `allow: false` shuts one out. */
    channels: z
      .record(
        z.string(),
        z.strictObject({ allow: z.boolean().optional(), requireMention: z.boolean().optional() }),
      )
      .optional(),
    requireMention: z.boolean().optional(),
    /** User ids allowed to talk to the bot in this guild (all when absent). */
    users: allowFrom.optional(),
  });

  return z.strictObject({
    enabled: z.boolean().optional(),
    /** Prefer `DISCORD_BOT_TOKEN` in env; env wins over this. */
    token: z.string().optional(),
    groupPolicy: groupPolicy.optional(),
    guilds: z.record(z.string(), discordGuildConfig).optional(),
    dmPolicy: dmPolicy.optional(),
    allowFrom: allowFrom.optional(),
    /** Reply previews: the answer grows in one edited message. Default `edit` in the owners' DMs, `off` elsewhere. */
    preview: previewMode.optional(),
    applicationId: z.string().optional(),
    publicKey: z.string().optional(),
    apiBase: z.url().optional(),
    gatewayUrl: z.url().optional(),
  });
});

export type DiscordConfig = z.infer<typeof discordConfig>;
