import { PROVIDERS } from '../../providers/index';
import { PRESETS } from '../../providers/presets';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `models.providers.<id>`: a built-in's key or base URL, a preset's overrides, or any OpenAI- or Anthropic-compatible endpoint. */
export const modelsSection = lazySchema(() => {
  const providerEntry = z.strictObject({
    /** Wire protocol of a custom endpoint (presets and built-ins know theirs). */
    api: z.enum(['openai-chat', 'anthropic']).optional(),
    baseUrl: z.url().optional(),
    apiKey: z.string().optional(),
    /** The env var holding the key (default `<ID>_API_KEY`). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .optional(),
    /** Extra request headers; secrets as `${VAR}` references. */
    headers: z.record(z.string(), z.string()).optional(),
  });

  const usdPerMillion = z.number().nonnegative('a price is USD per million tokens, 0 or more');

  /** `models.pricing["<provider>/<model>"]`: USD per million tokens; the cache prices default to `input`. */
  const priceEntry = z.strictObject({
    input: usdPerMillion,
    output: usdPerMillion,
    cacheRead: usdPerMillion.optional(),
    cacheWrite: usdPerMillion.optional(),
  });

  return z.strictObject({
    providers: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a provider id is lower-case letters, digits and "-"'),
        providerEntry,
      )
      .superRefine((providers, ctx) => {
        for (const [id, entry] of Object.entries(providers)) {
          const builtIn = Object.hasOwn(PROVIDERS, id);
          if (builtIn && (entry.api || entry.apiKeyEnv || entry.headers))
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: `${id} is built in: only baseUrl and apiKey can be set`,
            });
          if (builtIn || Object.hasOwn(PRESETS, id)) continue;
          const missing = [
            entry.api ? '' : 'api ("openai-chat" or "anthropic")',
            entry.baseUrl ? '' : 'baseUrl',
          ]
            .filter(Boolean)
            .join(' and ');
          if (missing)
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: `a custom provider needs ${missing} (presets: ${Object.keys(PRESETS).join(', ')})`,
            });
        }
      })
      .optional(),
    /** Overrides and additions to the built-in price table (`src/core/usage/prices.ts`); `<provider>/*` prices a whole provider. */
    pricing: z
      .record(z.string(), priceEntry)
      .superRefine((pricing, ctx) => {
        // Checked here rather than as the record's key schema, whose issue would not say what is expected.
        for (const ref of Object.keys(pricing))
          if (!/^[a-z0-9][a-z0-9-]*\/\S+$/i.test(ref))
            ctx.addIssue({
              code: 'custom',
              path: [ref],
              message: 'expected a "provider/model" (or "provider/*") key',
            });
      })
      .optional(),
  });
});
