import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `auth`: provider credentials by profile, and the order they are tried in. */
export const authSection = lazySchema(() => {
  const authProfile = z.strictObject({
    mode: z.enum(['token', 'api-key', 'oauth']),
    provider: z.string().min(1),
    /** A key in the file is allowed but discouraged: env (`ANTHROPIC_API_KEY`) wins and is preferred. */
    apiKey: z.string().optional(),
    token: z.string().optional(),
    baseUrl: z.url().optional(),
  });

  return z.strictObject({
    profiles: z.record(z.string(), authProfile).optional(),
    order: z.record(z.string(), z.array(z.string())).optional(),
  });
});
