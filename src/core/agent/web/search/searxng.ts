import { GatewayError } from '../../../errors';
import { type SearchProvider, searchJson, toResult } from './types';

/** A SearXNG instance's JSON API: GET /search?format=json (the instance must enable the json format). */
export const searxngSearch: SearchProvider = {
  unavailable: (config) =>
    config.tools?.web?.search?.url ? undefined : 'tools.web.search.url (the SearXNG instance) is not set',
  async search(ctx, { query, count, signal }) {
    const base = ctx.config().tools?.web?.search?.url;
    if (!base)
      throw new GatewayError('UNAVAILABLE', 'tools.web.search.url (the SearXNG instance) is not set');
    const url = new URL('search', base.endsWith('/') ? base : `${base}/`);
    url.search = new URLSearchParams({ q: query, format: 'json' }).toString();
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
    const body = (await searchJson('SearXNG', response)) as { results?: unknown[] };
    return (body.results ?? [])
      .flatMap((item) => {
        const { title, url, content } = (item ?? {}) as Record<string, unknown>;
        return toResult(title, url, content) ?? [];
      })
      .slice(0, count);
  },
};
