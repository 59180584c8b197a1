import type { GatewayContext } from '../context';
import { createInboundPipeline } from '../pipeline/pipeline';
import { createAgentRuntime } from './runtime';
import type { AgentRuntimeDeps } from './types';

type WithoutAgents = Omit<GatewayContext, 'agents' | 'pipeline'>;

/**
 * Completes a context with `agents` and `pipeline`, which both need the context itself. Each
 * adapter (and the test context) builds its context with this.
 */
export function attachAgents<T extends WithoutAgents>(
  base: T,
  deps: AgentRuntimeDeps = {},
): T & Pick<GatewayContext, 'agents' | 'pipeline'> {
  const ctx = base as T & Pick<GatewayContext, 'agents' | 'pipeline'>;
  ctx.agents = createAgentRuntime(ctx, deps);
  ctx.pipeline = createInboundPipeline(ctx);
  return ctx;
}
