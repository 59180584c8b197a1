import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { formatProblem } from '../../../src/core/config/problems';
import type { KrabConfig } from '../../../src/core/config/schema';
import { costOf, priceOf } from '../../../src/core/usage/pricing';

function config(value: Record<string, unknown>): KrabConfig {
  const parsed = parseConfigValue(value, {});
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value.config;
}

const none = config({});
const counts = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  requests: 1,
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

describe('price table', () => {
  it('prices a listed model, a dated snapshot by its longest prefix, and a local provider by its wildcard', () => {
    expect(priceOf('anthropic/claude-sonnet-4-5', none)).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
    expect(priceOf('anthropic/claude-sonnet-4-5-20250929', none)?.input).toBe(3);
    expect(priceOf('openai/gpt-4o-mini-2024-07-18', none)?.input).toBe(0.15);
    expect(priceOf('openai/gpt-4o-2024-08-06', none)?.input).toBe(2.5);
    expect(priceOf('ollama/llama3.2', none)).toEqual({ input: 0, output: 0 });
  });

  it('has no price for an unknown model: its cost is null (unknown), never 0', () => {
    expect(priceOf('openrouter/some/model', none)).toBeUndefined();
    expect(priceOf('anthropic/claude-sonnet-45', none)).toBeUndefined();
    expect(costOf(counts(1000, 1000), undefined)).toBeNull();
  });

  it('costs uncached input, cache reads, cache writes and output each at their own price', () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    // 1M input of which 600k read from cache and 100k written: 300k x 3 + 600k x 0.3 + 100k x 3.75 + 200k x 15.
    expect(costOf(counts(1_000_000, 200_000, 600_000, 100_000), price)).toBeCloseTo(
      0.9 + 0.18 + 0.375 + 3,
      10,
    );
    // Without cache prices, cached tokens cost as input.
    expect(costOf(counts(1_000_000, 0, 500_000, 0), { input: 2, output: 8 })).toBeCloseTo(2, 10);
  });

  it('models.pricing overrides a built-in line and adds models, wildcards included', () => {
    const priced = config({
      models: {
        pricing: {
          'anthropic/claude-sonnet-4-5': { input: 1, output: 2 },
          'openrouter/*': { input: 0.5, output: 1, cacheRead: 0.05 },
        },
      },
    });
    expect(priceOf('anthropic/claude-sonnet-4-5-20250929', priced)).toEqual({ input: 1, output: 2 });
    expect(priceOf('openrouter/meta/llama-4', priced)?.cacheRead).toBe(0.05);
    expect(priceOf('anthropic/claude-haiku-4-5', priced)?.input).toBe(1);
  });

  it('refuses a negative price, naming its dotted path', () => {
    const result = parseConfigValue(
      { models: { pricing: { 'openai/gpt-5': { input: 1.25, output: -10, cacheRead: -0.1 } } } },
      {},
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problems = result.problems.map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(/^models\.pricing\.openai\/gpt-5\.output: .*0 or more/),
      expect.stringMatching(/^models\.pricing\.openai\/gpt-5\.cacheRead: .*0 or more/),
    ]);
  });

  it('refuses a price key that is not provider/model, and a price that is not a number', () => {
    const problems = (value: unknown) => {
      const result = parseConfigValue({ models: { pricing: value } }, {});
      return result.ok ? [] : result.problems.map(formatProblem);
    };
    expect(problems({ 'gpt-5': { input: 1, output: 1 } })).toEqual([
      'models.pricing.gpt-5: expected a "provider/model" (or "provider/*") key',
    ]);
    expect(problems({ 'openai/o3': { input: '2', output: 8 } })).toEqual([
      expect.stringMatching(/^models\.pricing\.openai\/o3\.input: expected number/),
    ]);
  });
});
