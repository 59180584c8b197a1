import { z } from 'zod';

export const BIND_MODES = ['loopback', 'lan', 'auto', 'tailnet'] as const;

export const bindSetting = z.union([
  z.enum(BIND_MODES),
  z.ipv4(),
  z.ipv6(),
]);

export const tunnelSettings = z.strictObject({
  provider: z.enum(['ngrok', 'tailscale', 'none']).optional(),
  publicUrl: z.url().optional(),
  ngrok: z.strictObject({ path: z.string().optional(), domain: z.string().optional(), authtoken: z.string().optional() }).optional(),
  tailscale: z.strictObject({ path: z.string().optional() }).optional(),
});

export const gatewaySection = z.strictObject({
  mode: z.enum(['local', 'remote']).optional(),
  bind: bindSetting.optional(),
  port: z.number().int().min(0).max(65535).optional(),
  auth: z.strictObject({ token: z.string().optional() }).optional(),
  controlUi: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  /** Origins (besides the gateway's own) allowed to open the control WebSocket. */
  allowedOrigins: z.array(z.string()).optional(),
  tunnel: tunnelSettings.optional(),
  publicUrl: z.url().optional(),
});
