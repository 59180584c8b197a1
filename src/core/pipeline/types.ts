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
  /** Replays every unfinished spool entry (called once at start). */
  replay(): Promise<number>;
}
