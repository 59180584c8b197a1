import type { InboundMessage } from '../channels/types';

/**
 * The shared inbound pipeline every channel hands its messages to:
 * normalize (the channel) → durable spool → dedupe → policy → binding → agent run → chunked reply → done.
 */
export interface InboundPipeline {
  /**
   * Persists the message to the spool (deduped by channel + chat + messageId) and resolves once
   * it is durable: only then may the channel acknowledge the platform (HTTP 200, polled offset).
   * The agent run happens later, driven by `process` (scheduled by `accept` through waitUntil).
   */
  accept(message: InboundMessage): Promise<{ spoolKey: string; duplicate: boolean }>;
  /** Replays every unfinished spool entry (called once at start); resolves with how many were scheduled. */
  replay(): Promise<number>;
  /** Processes one spool entry to its end (policy, agent run, reply); a no-op when done or already in flight. */
  process(spoolKey: string): Promise<void>;
  /** Counters for `status`. */
  stats(): PipelineStats;
}

export interface PipelineStats {
  accepted: number;
  duplicates: number;
  replied: number;
  dropped: number;
  failed: number;
  inFlight: number;
}
