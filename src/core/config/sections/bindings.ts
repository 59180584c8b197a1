import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `bindings`: which agent answers on which channel, account, peer or guild. */
export const bindingsSection = lazySchema(() =>
  z.array(
    z.strictObject({
      agentId: z.string().min(1),
      match: z.strictObject({
        channel: z.string().min(1),
        accountId: z.string().optional(),
        peer: z
          .union([
            z.string(),
            z.strictObject({ kind: z.enum(['dm', 'group', 'channel']).optional(), id: z.string() }),
          ])
          .optional(),
        guildId: z.string().optional(),
      }),
    }),
  ),
);

export type Binding = z.infer<typeof bindingsSection>[number];
