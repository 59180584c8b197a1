import type { GatewayContext } from '../context';

/** The `models` section of `status`: pairs cooling down and the last failovers. */
export function modelsStatusSection(ctx: Pick<GatewayContext, 'models'>): unknown {
  return ctx.models.status?.() ?? null;
}
