import * as z from '../../zod';

export const authProfile = z.strictObject({
  mode: z.enum(['token', 'api-key', 'oauth']),
  provider: z.string().min(1),
  /** A key in the file is allowed but discouraged: env (`ANTHROPIC_API_KEY`) wins and is preferred. */
  apiKey: z.string().optional(),
  token: z.string().optional(),
  baseUrl: z.url().optional(),
});

export const authSection = z.strictObject({
  profiles: z.record(z.string(), authProfile).optional(),
  order: z.record(z.string(), z.array(z.string())).optional(),
});
