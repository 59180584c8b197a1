import type { KrabConfig } from '../config/schema';
import { BUILT_IN_PRICES, type ModelPrice } from './prices';
import type { TokenCounts } from './types';

/**
 * The price of a model ref: the config's `models.pricing` first, then the built-in table; an
 * exact ref, else the longest listed prefix before a `-` (dated snapshots), else `<provider>/*`.
 */
export function priceOf(ref: string, config: KrabConfig): ModelPrice | undefined {
  const configured = config.models?.pricing ?? {};
  for (const table of [configured, BUILT_IN_PRICES]) {
    const found = lookup(table, ref);
    if (found) return found;
  }
  return undefined;
}

function lookup(table: Readonly<Record<string, ModelPrice>>, ref: string): ModelPrice | undefined {
  if (Object.hasOwn(table, ref)) return table[ref];
  let best: string | undefined;
  for (const key of Object.keys(table))
    if (ref.startsWith(`${key}-`) && key.length > (best?.length ?? 0)) best = key;
  if (best) return table[best];
  const wildcard = `${ref.split('/', 1)[0]}/*`;
  return Object.hasOwn(table, wildcard) ? table[wildcard] : undefined;
}

/** Estimated USD for these tokens at this price; null when there is no price. */
export function costOf(counts: TokenCounts, price: ModelPrice | undefined): number | null {
  if (!price) return null;
  const uncached = Math.max(0, counts.inputTokens - counts.cacheReadTokens - counts.cacheWriteTokens);
  const dollars =
    uncached * price.input +
    counts.cacheReadTokens * (price.cacheRead ?? price.input) +
    counts.cacheWriteTokens * (price.cacheWrite ?? price.input) +
    counts.outputTokens * price.output;
  return dollars / 1_000_000;
}
