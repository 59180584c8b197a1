/** The wire protocol of an endpoint: OpenAI Chat Completions or the Anthropic Messages API. */
export type ProviderApi = 'openai-chat' | 'anthropic';

export interface ProviderPreset {
  api: ProviderApi;
  baseUrl: string;
  /** A local server that needs no key. */
  keyless?: boolean;
}

/**
 * Providers that need nothing but their key: `<ID>_API_KEY` (or `<ID>_API_KEYS`, comma-separated),
 * base URL overridable by `<ID>_BASE_URL`. Adding one is one line; `krabkrab secrets set` and
 * `doctor` derive their key names from this table.
 */
export const PRESETS: Record<string, ProviderPreset> = {
  openrouter: { api: 'openai-chat', baseUrl: 'https://openrouter.ai/api/v1' },
  groq: { api: 'openai-chat', baseUrl: 'https://api.groq.com/openai/v1' },
  deepseek: { api: 'openai-chat', baseUrl: 'https://api.deepseek.com/v1' },
  mistral: { api: 'openai-chat', baseUrl: 'https://api.mistral.ai/v1' },
  xai: { api: 'openai-chat', baseUrl: 'https://api.x.ai/v1' },
  together: { api: 'openai-chat', baseUrl: 'https://api.together.xyz/v1' },
  ollama: { api: 'openai-chat', baseUrl: 'http://127.0.0.1:11434/v1', keyless: true },
  lmstudio: { api: 'openai-chat', baseUrl: 'http://127.0.0.1:1234/v1', keyless: true },
  vllm: { api: 'openai-chat', baseUrl: 'http://127.0.0.1:8000/v1', keyless: true },
};

/** The env var prefix of a provider id (`open-router` -> `OPEN_ROUTER`). */
export function envPrefix(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
