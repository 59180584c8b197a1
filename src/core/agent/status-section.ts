import type { GatewayContext } from '../context';

/** The `agents` section of `status`: runs at once and waiting, and what the inbound pipeline did since start. */
export function agentsStatusSection(ctx: GatewayContext): unknown {
  return { ...ctx.agents.status(), pipeline: ctx.pipeline.stats() };
}
