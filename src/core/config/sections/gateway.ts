import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

export const BIND_MODES = ['loopback', 'lan', 'auto', 'tailnet'] as const;

/** A tunnel that gives webhooks a public URL on a private deployment (`gateway.tunnel`, and a plugin's own `tunnel`). */
export const tunnelSettings = lazySchema(() =>
  z.strictObject({
    provider: z.enum(['ngrok', 'tailscale', 'none']).optional(),
    publicUrl: z.url().optional(),
    ngrok: z
      .strictObject({
        path: z.string().optional(),
        domain: z.string().optional(),
        /** Prefer `NGROK_AUTHTOKEN` in env; env wins over this. */
        authtoken: z.string().optional(),
        /** The agent's local API (`web_addr`), `127.0.0.1:4040` unless set. */
        apiAddr: z
          .string()
          .regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:4040')
          .optional(),
      })
      .optional(),
    tailscale: z
      .strictObject({
        path: z.string().optional(),
        /** Paths Funnel exposes (the webhook paths by default, never the Control UI). */
        paths: z.array(z.string().regex(/^\/[\w./-]*$/, 'expected a path like /voice')).optional(),
      })
      .optional(),
  }),
);

/** `gateway`: where and how the gateway listens. */
export const gatewaySection = lazySchema(() =>
  z.strictObject({
    mode: z.enum(['local', 'remote']).optional(),
    bind: z.union([z.enum(BIND_MODES), z.ipv4(), z.ipv6()]).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    auth: z.strictObject({ token: z.string().optional() }).optional(),
    controlUi: z.strictObject({ enabled: z.boolean().optional() }).optional(),
    /** Origins (besides the gateway's own) allowed to open the control WebSocket. */
    allowedOrigins: z.array(z.string()).optional(),
    tunnel: tunnelSettings.optional(),
    publicUrl: z.url().optional(),
  }),
);
