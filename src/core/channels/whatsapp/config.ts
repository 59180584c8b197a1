import { allowFrom, dmPolicy, groupPolicy, groupTable } from '../../config/sections/policy';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `channels.whatsapp`, built on first use: a start builds only the channels its config has. */
export const whatsappConfig = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().optional(),
    /** `cloud`: the WhatsApp Business Cloud API (webhooks, any runtime); `web`: a linked personal number (Node only). */
    mode: z.enum(['cloud', 'web']).optional(),
    /** Cloud API: the sender's phone number id from Meta's console (not the phone number itself). */
    phoneNumberId: z
      .string()
      .regex(/^\d+$/, "expected the numeric phone number id from Meta's console")
      .optional(),
    /** Prefer `WHATSAPP_ACCESS_TOKEN` in env; env wins over this. */
    accessToken: z.string().optional(),
    /** Prefer `WHATSAPP_APP_SECRET` in env: the app secret that signs webhooks (X-Hub-Signature-256). */
    appSecret: z.string().optional(),
    /** Prefer `WHATSAPP_VERIFY_TOKEN` in env; generated and stored by `channels add whatsapp` when unset. */
    verifyToken: z.string().optional(),
    /** Another Graph API origin (a fake in tests); env `WHATSAPP_API_BASE` wins. */
    apiBase: z.url().optional(),
    /** Graph API version, e.g. `v23.0`. */
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'expected a Graph API version like v23.0')
      .optional(),
    dmPolicy: dmPolicy.optional(),
    allowFrom: allowFrom.optional(),
    groupPolicy: groupPolicy.optional(),
    /** Groups by id (web mode: `<id>@g.us`); `"*"` covers all. */
    groups: groupTable.optional(),
    requireMention: z.boolean().optional(),
  }),
);

export type WhatsAppConfig = z.infer<typeof whatsappConfig>;
