import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `tools.web`: the `web_fetch` and `web_search` tools. */
export const webToolsSection = lazySchema(() =>
  z.strictObject({
    fetch: z
      .strictObject({
        /** Turns the SSRF guard off (home labs, tests): private and loopback addresses become reachable. */
        allowPrivateNetwork: z.boolean().optional(),
      })
      .optional(),
    search: z
      .strictObject({
        /** `brave` (BRAVE_API_KEY), `tavily` (TAVILY_API_KEY) or `searxng` (`url`, no key). */
        provider: z.enum(['brave', 'tavily', 'searxng']).optional(),
        /** The SearXNG instance (`https://search.example.org`); its JSON format must be enabled. */
        url: z.url({ protocol: /^https?$/ }).optional(),
      })
      .optional(),
  }),
);

export type WebToolsConfig = z.infer<typeof webToolsSection>;
