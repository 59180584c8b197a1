import type { McpManager } from './manager';
import type { McpServerStatus } from './types';

/**
 * The MCP manager of a gateway, once started. The agent runtime's tool source is created before
 * the context and the manager after the gateway listens, so both meet here.
 */
export interface McpHolder {
  manager: McpManager | undefined;
}

const holders = new WeakMap<object, McpHolder>();

/** Ties a holder made before the context (for the tool source) to the context (for status and the service). */
export function attachMcpHolder(ctx: object, holder: McpHolder): void {
  holders.set(ctx, holder);
}

export function mcpHolder(ctx: object): McpHolder {
  let holder = holders.get(ctx);
  if (!holder) {
    holder = { manager: undefined };
    holders.set(ctx, holder);
  }
  return holder;
}

/** `status.mcp`: each server's state, tools and last error (the context is only the holder's key). */
export function mcpStatusSection(ctx: object): { servers: McpServerStatus[] } {
  return { servers: mcpHolder(ctx).manager?.status() ?? [] };
}
