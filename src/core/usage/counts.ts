import type { Usage } from '../providers/types';
import type { CostedCounts, TokenCounts } from './types';

/** One provider call's usage as counts. */
export function toCounts(usage: Usage): TokenCounts {
  return {
    requests: 1,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
  };
}

export const zeroCounts = (): TokenCounts => ({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

/** Adds `b` into `a` (in place). */
export function addCounts(a: TokenCounts, b: TokenCounts): TokenCounts {
  a.requests += b.requests;
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  a.cacheReadTokens += b.cacheReadTokens;
  a.cacheWriteTokens += b.cacheWriteTokens;
  return a;
}

/** Sums rows with their costs: the cost is unknown (null) as soon as one priced part is unknown. */
export function sumCosted(parts: Array<CostedCounts>): CostedCounts {
  const total: CostedCounts = { ...zeroCounts(), costUsd: 0 };
  for (const part of parts) {
    addCounts(total, part);
    total.costUsd = total.costUsd === null || part.costUsd === null ? null : total.costUsd + part.costUsd;
  }
  return total;
}

/** Two usages added (cache fields kept only when one of them has them). */
export function sumUsage(a: Usage, b: Usage): Usage {
  const cacheRead = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  const cacheWrite = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(cacheRead ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

/** What a per-model tally adds up to, as a Usage (cache fields only when some). */
export function tallyUsage(tally: Record<string, TokenCounts>): Usage {
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  for (const counts of Object.values(tally))
    usage = sumUsage(usage, {
      inputTokens: counts.inputTokens,
      outputTokens: counts.outputTokens,
      cacheReadTokens: counts.cacheReadTokens,
      cacheWriteTokens: counts.cacheWriteTokens,
    });
  return usage;
}

/** Per-model counts merged (a new object; neither input changes). */
export function mergeTallies(
  a: Record<string, TokenCounts> | undefined,
  b: Record<string, TokenCounts>,
): Record<string, TokenCounts> {
  const out: Record<string, TokenCounts> = {};
  for (const [model, counts] of [...Object.entries(a ?? {}), ...Object.entries(b)])
    out[model] = addCounts(out[model] ?? zeroCounts(), counts);
  return out;
}
