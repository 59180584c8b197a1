/**
 * Usage and cost: what the store keeps per day and what `usage.summary` answers. The Control UI
 * imports these (type-only), so the view and the method cannot drift apart.
 */

/** Token counts of one or more provider calls. `inputTokens` includes the cache reads and writes. */
export interface TokenCounts {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** One model, agent and channel on one day, as stored. */
export interface UsageRow extends TokenCounts {
  /** `provider/model` as the router answered with it. */
  model: string;
  agentId: string;
  /** The session key's channel (`telegram`, `control`, ...). */
  channel: string;
}

/** One UTC day's rollup under `usage:day:<YYYY-MM-DD>`. */
export interface StoredUsageDay {
  v: 1;
  date: string;
  rows: UsageRow[];
}

/** Totals with their estimated cost; `costUsd` is null when a model in them has no price. */
export interface CostedCounts extends TokenCounts {
  costUsd: number | null;
}

export interface ModelUsage extends CostedCounts {
  model: string;
}

export interface UsageSummaryDay {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  models: ModelUsage[];
  agents: Array<CostedCounts & { agentId: string }>;
  channels: Array<CostedCounts & { channel: string }>;
  total: CostedCounts;
}

/** What `usage.summary` answers: the days that saw any call, newest first. */
export interface UsageSummary {
  days: UsageSummaryDay[];
  /** The whole range's totals. */
  total: CostedCounts;
}

/** The `usage` section of `status`: today's totals (UTC) and each model's share. */
export interface UsageStatus {
  date: string;
  total: CostedCounts;
  models: ModelUsage[];
}
