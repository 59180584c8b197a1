import { allowFrom, dmPolicy, groupPolicy, groupTable } from '../../config/sections/policy';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `channels.slack`, built on first use: a start builds only the channels its config has. */
export const slackConfig = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().optional(),
    /** Prefer `SLACK_BOT_TOKEN` in env (`xoxb-...`); env wins over this. */
    botToken: z.string().optional(),
    /** Prefer `SLACK_SIGNING_SECRET` in env: signs the Events API's requests. */
    signingSecret: z.string().optional(),
    /** Prefer `SLACK_APP_TOKEN` in env (`xapp-...`): Socket Mode, for a gateway without a public URL (Node). */
    appToken: z.string().optional(),
    /** Another Web API base ending in `/api/` (a fake in tests); env `SLACK_API_BASE` wins. */
    apiBase: z.url().optional(),
    dmPolicy: dmPolicy.optional(),
    allowFrom: allowFrom.optional(),
    groupPolicy: groupPolicy.optional(),
    /** Channels by id (`C0123...`); `"*"` covers all. */
    channels: groupTable.optional(),
    requireMention: z.boolean().optional(),
  }),
);

export type SlackConfig = z.infer<typeof slackConfig>;
