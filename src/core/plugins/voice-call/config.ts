import { tunnelSettings } from '../../config/sections/gateway';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** A phone number in E.164 form (`+15551234567`): what Twilio and Telnyx send and accept. */
export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number like +15551234567');

/**
 * `plugins.entries.voice-call.config`. Every key is optional so the guide's
 * `{"provider":"twilio","tunnel":{"provider":"ngrok"}}` loads as written; secrets come from env
 * (`TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TELNYX_API_KEY`, `TELNYX_PUBLIC_KEY`), which wins.
 */
export const voiceCallConfig = lazySchema(() =>
  z.strictObject({
    provider: z.enum(['twilio', 'telnyx']).optional(),
    /** The caller id of outbound calls (a number you own at the provider). */
    fromNumber: e164.optional(),
    twilio: z
      .strictObject({
        accountSid: z.string().optional(),
        authToken: z.string().optional(),
        /** REST API root, `https://api.twilio.com` unless pointed elsewhere (tests). */
        apiBase: z.url().optional(),
      })
      .optional(),
    telnyx: z
      .strictObject({
        apiKey: z.string().optional(),
        /** The Call Control application (connection) outbound calls go through. */
        connectionId: z.string().optional(),
        /** The account's Ed25519 public key (base64) that signs webhooks. */
        publicKey: z.string().optional(),
        apiBase: z.url().optional(),
      })
      .optional(),
    inbound: z
      .strictObject({
        /** `allowlist` (the default) answers only `allowFrom`; `open` answers anyone; `disabled` rejects all. */
        policy: z.enum(['allowlist', 'open', 'disabled']).optional(),
        allowFrom: z.array(e164).optional(),
      })
      .optional(),
    greeting: z.string().min(1).max(1000).optional(),
    agentId: z.string().min(1).optional(),
    /** Provider voice name (`Polly.Joanna` on Twilio, `female` or `AWS.Polly.Joanna` on Telnyx). */
    voice: z.string().min(1).optional(),
    language: z.string().min(2).optional(),
    maxCallMinutes: z.number().positive().max(240).optional(),
    /** The voice webhooks' own tunnel; wins over `gateway.tunnel` for `/voice/...`. */
    tunnel: tunnelSettings.optional(),
    /** Base URL the provider reaches (`https://example.com`); a running tunnel's URL takes its place. */
    publicUrl: z.url().optional(),
    /**
     * Point the provider at the tunnel's URL whenever it changes (the Twilio number's voice URL, the
     * Telnyx app's webhook URL); on by default, because a free ngrok URL changes at every restart.
     */
    registerWebhooks: z.boolean().optional(),
    /** How long a webhook waits for the agent before bridging with a filler (the platforms time out at ~15 s). */
    replyWaitSeconds: z.number().min(0.05).max(12).optional(),
  }),
);

export type VoiceCallConfig = z.infer<typeof voiceCallConfig>;
