import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { wrapUntrusted } from '../untrusted';
import { deadline } from '../web/deadline';
import { SEARCH_PROVIDERS } from '../web/search/index';
import { defineTool } from './types';

/** A search that has not answered by then is given up. */
export const SEARCH_TIMEOUT_MS = 15_000;

export const webSearch = defineTool({
  name: 'web_search',
  description:
    'Search the web. Returns the title, URL and a snippet of each result; use web_fetch to read one.',
  parameters: z.object({
    query: z.string().min(1).max(400).describe('what to search for'),
    count: z.number().int().min(1).max(10).optional().describe('how many results (default 5)'),
  }),
  profile: 'messaging',
  guestSafe: true,
  unavailable({ config }) {
    const name = config.tools?.web?.search?.provider;
    if (!name) return 'no search provider: set tools.web.search.provider to brave, tavily or searxng';
    return SEARCH_PROVIDERS[name].unavailable?.(config);
  },
  async run({ query, count }, { ctx, signal }) {
    const name = ctx.config().tools?.web?.search?.provider;
    if (!name)
      throw new GatewayError('UNAVAILABLE', 'no search provider is configured (tools.web.search.provider)');
    const timeout = deadline(ctx.clock, SEARCH_TIMEOUT_MS, signal);
    try {
      const results = await SEARCH_PROVIDERS[name].search(ctx, {
        query,
        count: count ?? 5,
        signal: timeout.signal,
      });
      const text = results.length
        ? results.map((r, i) => `${i + 1}. ${r.title}\n   ${r.url}\n   ${r.snippet}`).join('\n')
        : 'No results.';
      return wrapUntrusted(`web_search ${name}: ${query}`, text);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      if (timeout.expired())
        throw new GatewayError(
          'TIMEOUT',
          `the ${name} search did not answer within ${SEARCH_TIMEOUT_MS / 1000} s`,
        );
      throw new GatewayError(
        'PROVIDER_ERROR',
        `the ${name} search failed: ${(error as Error)?.message ?? error}`,
        {
          cause: error,
        },
      );
    } finally {
      timeout.cancel();
    }
  },
});
