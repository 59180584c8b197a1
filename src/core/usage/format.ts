import type { CostedCounts } from './types';

/** `3 call(s), 1,200 in (800 cache read) / 90 out, ~$0.0042`: chat (`/usage`) and `krabkrab status`. */
export function describeCounts(counts: CostedCounts): string {
  const number = (n: number) => n.toLocaleString('en-US');
  const cache = [
    counts.cacheReadTokens ? `${number(counts.cacheReadTokens)} cache read` : '',
    counts.cacheWriteTokens ? `${number(counts.cacheWriteTokens)} cache write` : '',
  ].filter(Boolean);
  return (
    `${counts.requests} call(s), ${number(counts.inputTokens)} in${cache.length ? ` (${cache.join(', ')})` : ''}` +
    ` / ${number(counts.outputTokens)} out, ${formatCost(counts.costUsd)}`
  );
}

/** `~$0.0042`, or `cost unknown` (a model without a price: never shown as $0). */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown (a model has no price: set models.pricing)';
  return `~${formatUsd(costUsd)}`;
}

/** `$0.0042`, `$12.50`: four decimals under a dollar. The Control UI imports this (no dependencies). */
export function formatUsd(costUsd: number): string {
  return `$${costUsd < 1 ? costUsd.toFixed(4) : costUsd.toFixed(2)}`;
}
