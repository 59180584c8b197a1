import { envVar } from '../../../env';
import { requireKey, type SearchProvider, searchJson, toResult } from './types';

const DEFAULT_BASE = 'https://api.search.brave.com';

/** Brave Search API: GET /res/v1/web/search (https://api-dashboard.search.brave.com/app/documentation/web-search). */
export const braveSearch: SearchProvider = {
  async search(ctx, { query, count, signal }) {
    const key = await requireKey(ctx, 'BRAVE_API_KEY', 'Brave');
    const base = (envVar(ctx.env, 'BRAVE_SEARCH_BASE_URL') ?? DEFAULT_BASE).replace(/\/+$/, '');
    const url = `${base}/res/v1/web/search?${new URLSearchParams({ q: query, count: String(count) })}`;
    const response = await fetch(url, {
      headers: { accept: 'application/json', 'x-subscription-token': key },
      signal,
    });
    const body = (await searchJson('Brave', response)) as { web?: { results?: unknown[] } };
    return (body.web?.results ?? []).flatMap((item) => {
      const { title, url, description } = (item ?? {}) as Record<string, unknown>;
      return toResult(title, url, description) ?? [];
    });
  },
};
