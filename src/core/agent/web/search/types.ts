import type { KrabConfig } from '../../../config/schema';
import type { GatewayContext } from '../../../context';
import { GatewayError } from '../../../errors';
import { resolveSecret, type SecretLookup } from '../../../secrets';

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchRequest {
  query: string;
  count: number;
  signal: AbortSignal;
}

/** What a search provider reads: its settings (config, env) and its key (env or stored, then redacted). */
export type SearchContext = Pick<GatewayContext, 'config' | 'env' | 'store' | 'logs'>;

/** One web search provider: `tools.web.search.provider` names it. Adding one is one file and one table line. */
export interface SearchProvider {
  /** Why it cannot search with this config (no URL); an API key is checked when searching (it may be stored). */
  unavailable?(config: KrabConfig): string | undefined;
  search(ctx: SearchContext, request: SearchRequest): Promise<SearchResult[]>;
}

/** An answer's body as JSON, or a clear error naming the provider and its status. */
export async function searchJson(provider: string, response: Response): Promise<unknown> {
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new GatewayError('PROVIDER_ERROR', `${provider} search answered HTTP ${response.status}`, {
      retryable: response.status === 429 || response.status >= 500,
    });
  }
  try {
    return await response.json();
  } catch {
    throw new GatewayError('PROVIDER_ERROR', `${provider} search answered with something that is not JSON`);
  }
}

/** A result list item as the tool returns it; items without a URL are dropped. */
export function toResult(title: unknown, url: unknown, text: unknown): SearchResult | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
  return { title: clean(title, 200), url, snippet: clean(text, 400) };
}

/** Plain text of a provider's field: Brave marks matches with <strong>, which the model does not need. */
function clean(text: unknown, max: number): string {
  const plain =
    typeof text === 'string'
      ? text
          .replace(/<\/?[a-z][^>]*>/gi, '')
          .replace(/\s+/g, ' ')
          .trim()
      : '';
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

export async function requireKey(ctx: SecretLookup, name: string, provider: string): Promise<string> {
  const key = await resolveSecret(ctx, name);
  if (!key)
    throw new GatewayError(
      'UNAVAILABLE',
      `${provider} search needs ${name}: set it in the environment or with \`krabkrab secrets set ${name}\``,
    );
  return key;
}
