import { parseSessionKey } from '../agent/session-key';
import { toErrorShape } from '../errors';
import type { ModelRouter, Usage } from '../providers/types';
import type { UsageBook } from './book';
import { addCounts, toCounts } from './counts';
import type { TokenCounts } from './types';

/** A router that reports each finished provider call (`done`) with the model that answered it. */
export interface MeteredRouter extends ModelRouter {
  /** Counts per model of the calls made through this router so far. */
  tally(): Record<string, TokenCounts>;
}

/**
 * Wraps a router so every call through it is counted: `onCall` gets the answering model
 * (`provider/model`, from the router's `model` event) and the call's usage.
 */
export function meterRouter(
  router: ModelRouter,
  onCall: (model: string, usage: Usage) => void,
): MeteredRouter {
  const byModel: Record<string, TokenCounts> = {};
  return {
    async *stream(request) {
      let model = request.models[0] ?? 'unknown';
      for await (const event of router.stream(request)) {
        if (event.type === 'model') model = event.ref;
        else if (event.type === 'done') {
          const counts = toCounts(event.usage);
          const seen = byModel[model];
          byModel[model] = seen ? addCounts(seen, counts) : counts;
          onCall(model, event.usage);
        }
        yield event;
      }
    },
    tally: () => byModel,
  };
}

/**
 * Builds the runtime's meters: each call through one is added to the day's rollup under its
 * agent and the session key's channel, written in the background (`waitUntil`) so the turn never
 * waits for the store. The session key is one the runtime has already checked (every run and
 * compaction resolves or loads its session first), so parsing it here cannot fail.
 */
export function createMeters(deps: {
  book: UsageBook;
  waitUntil(promise: Promise<unknown>): void;
  warn(message: string): void;
}): (router: ModelRouter, agentId: string, sessionKey: string) => MeteredRouter {
  return (router, agentId, sessionKey) => {
    const { channel } = parseSessionKey(sessionKey);
    return meterRouter(router, (model, usage) =>
      deps.waitUntil(
        deps.book
          .record({ model, agentId, channel, usage })
          .catch((error) =>
            deps.warn(`usage of a ${model} call not recorded: ${toErrorShape(error).message}`),
          ),
      ),
    );
  };
}
