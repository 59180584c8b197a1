import { envVar } from '../../../env';
import { requireKey, type SearchProvider, searchJson, toResult } from './types';

const DEFAULT_BASE = 'https://api.tavily.com';

/** Tavily: POST /search with a bearer key (https://docs.tavily.com/documentation/api-reference/endpoint/search). */
export const tavilySearch: SearchProvider = {
  async search(ctx, { query, count, signal }) {
    const key = await requireKey(ctx, 'TAVILY_API_KEY', 'Tavily');
    const base = (envVar(ctx.env, 'TAVILY_BASE_URL') ?? DEFAULT_BASE).replace(/\/+$/, '');
    const response = await fetch(`${base}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, max_results: count }),
      signal,
    });
    const body = (await searchJson('Tavily', response)) as { results?: unknown[] };
    return (body.results ?? []).flatMap((item) => {
      const { title, url, content } = (item ?? {}) as Record<string, unknown>;
      return toResult(title, url, content) ?? [];
    });
  },
};
