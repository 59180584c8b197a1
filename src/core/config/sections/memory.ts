import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `memory`: how `memory_search` ranks the agent's Markdown memory files. */
export const memorySection = lazySchema(() =>
  z.strictObject({
    embeddings: z
      .strictObject({
        /**
         * `openai`, `google`, `ollama`, or the id of another OpenAI-compatible provider in
         * `models.providers` (its `baseUrl` must serve `/embeddings`). Set: BM25 + vector similarity.
         */
        provider: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'expected a provider id, e.g. "openai"'),
        /** The embeddings model; each provider has a default (`text-embedding-3-small`, ...). */
        model: z.string().min(1).optional(),
        /** Overrides the provider's base URL (the one before `/embeddings`). */
        baseUrl: z.url().optional(),
      })
      .optional(),
  }),
);
