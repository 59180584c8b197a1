/**
 * Built-in list prices in USD per million tokens, from each provider's public pricing page
 * (checked 2025-12; standard tier, prompts under 200k tokens). Estimates only: `models.pricing`
 * in the config overrides any line or adds models. A dated snapshot (`claude-sonnet-4-5-20250929`)
 * takes the price of its longest listed prefix; `<provider>/*` prices every model of a provider.
 * A model found nowhere has an unknown cost, never 0.
 */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cached prompt tokens read; the input price when absent. */
  cacheRead?: number;
  /** Prompt tokens written to the cache; the input price when absent. */
  cacheWrite?: number;
}

// Anthropic: cache writes (5-minute) cost 1.25x input, reads 0.1x (https://www.anthropic.com/pricing#api).
const claude = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite: input * 1.25,
});

export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'anthropic/claude-opus-4-5': claude(5, 25),
  'anthropic/claude-opus-4-1': claude(15, 75),
  'anthropic/claude-opus-4': claude(15, 75),
  'anthropic/claude-sonnet-4-5': claude(3, 15),
  'anthropic/claude-sonnet-4': claude(3, 15),
  'anthropic/claude-3-7-sonnet': claude(3, 15),
  'anthropic/claude-haiku-4-5': claude(1, 5),
  'anthropic/claude-3-5-haiku': claude(0.8, 4),
  // OpenAI: cached input is discounted, cache writes are free (https://openai.com/api/pricing/).
  'openai/gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'openai/gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'openai/gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'openai/gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'openai/gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'openai/gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'openai/gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'openai/o3': { input: 2, output: 8, cacheRead: 0.5 },
  'openai/o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
  // Google (https://ai.google.dev/gemini-api/docs/pricing).
  'google/gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.125 },
  'google/gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03 },
  'google/gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.01 },
  'google/gemini-2.0-flash': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  // Local servers (the keyless presets) cost nothing per token.
  'ollama/*': { input: 0, output: 0 },
  'lmstudio/*': { input: 0, output: 0 },
  'vllm/*': { input: 0, output: 0 },
};
