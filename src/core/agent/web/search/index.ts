import { braveSearch } from './brave';
import { searxngSearch } from './searxng';
import { tavilySearch } from './tavily';
import type { SearchProvider } from './types';

/** The web search providers by `tools.web.search.provider`. */
export const SEARCH_PROVIDERS: Record<'brave' | 'tavily' | 'searxng', SearchProvider> = {
  brave: braveSearch,
  tavily: tavilySearch,
  searxng: searxngSearch,
};
