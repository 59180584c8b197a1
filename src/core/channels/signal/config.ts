import { allowFrom, dmPolicy, groupPolicy, groupTable } from '../../config/sections/policy';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `channels.signal`, built on first use: a start builds only the channels its config has. */
export const signalConfig = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().optional(),
    /** The Signal account signal-cli is registered or linked as, in E.164 (`+15551234567`). */
    account: z
      .string()
      .regex(/^\+\d{6,15}$/, 'expected the account number in E.164 form, e.g. +15551234567')
      .optional(),
    /** A running `signal-cli daemon --http` to use (ignored with `autoStart`, except for its port). */
    httpUrl: z.url().optional(),
    /** The signal-cli executable (default: `signal-cli` on PATH). */
    cliPath: z.string().min(1).optional(),
    /** Start `signal-cli -a <account> daemon --http 127.0.0.1:<port>` with the gateway and stop it with it. */
    autoStart: z.boolean().optional(),
    dmPolicy: dmPolicy.optional(),
    allowFrom: allowFrom.optional(),
    groupPolicy: groupPolicy.optional(),
    /** Groups by their base64 group id; `"*"` covers all. */
    groups: groupTable.optional(),
    requireMention: z.boolean().optional(),
  }),
);

export type SignalConfig = z.infer<typeof signalConfig>;
