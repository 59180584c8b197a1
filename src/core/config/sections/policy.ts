import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

// Shared by every channel's config; lazy like them, so a start builds only what its channels use.

/** Who may talk to the agent in direct messages. `pairing` admits a sender after the owner approves a code. */
export const dmPolicy = lazySchema(() => z.enum(['pairing', 'allowlist', 'open', 'disabled']));
/** Which groups, guilds or channels the agent answers in. */
export const groupPolicy = lazySchema(() => z.enum(['allowlist', 'open', 'disabled']));
/** `channels.<telegram|discord>.preview`: show the reply growing in one edited message (`edit`) or not. */
export const previewMode = lazySchema(() => z.enum(['off', 'edit']));
export const allowFrom = lazySchema(() => z.array(z.union([z.string(), z.number()]).transform(String)));
/** Groups by chat id (`"*"` covers all): whether the agent answers there and whether it must be mentioned. */
export const groupTable = lazySchema(() =>
  z.record(
    z.string(),
    z.strictObject({ allow: z.boolean().optional(), requireMention: z.boolean().optional() }),
  ),
);
