import * as z from '../../zod';

export const binding = z.strictObject({
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
});

export const bindingsSection = z.array(binding);
export type Binding = z.infer<typeof binding>;
