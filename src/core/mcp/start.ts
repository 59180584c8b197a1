import type { GatewayContext } from '../context';
import { createMcpManager } from './manager';
import type { McpHolder } from './registry';
import type { McpConnector } from './types';

/** What a runtime brings to MCP: how sessions open, and whether it can start stdio servers. */
export interface McpRuntime {
  connect: McpConnector;
  stdio: boolean;
}

export type McpStartContext = Pick<GatewayContext, 'config' | 'clock' | 'log' | 'events' | 'configStore'>;

/**
 * Starts the gateway's MCP manager and puts it in `holder`: sessions open now, follow every config
 * change (only changed servers reconnect), and `stop` unsubscribes from config changes before it
 * closes every session, so a stopped gateway reconnects nothing. Node's service and the Worker's
 * Durable Object both start MCP here; only the connector differs.
 */
export function startMcp(
  ctx: McpStartContext,
  holder: McpHolder,
  runtime: McpRuntime,
): { stop(): Promise<void> } {
  const manager = createMcpManager({
    config: ctx.config,
    clock: ctx.clock,
    log: ctx.log,
    connect: runtime.connect,
    stdio: runtime.stdio,
    onChange: (status) => ctx.events.emit('mcp.status', status),
  });
  holder.manager = manager;
  manager.sync();
  const unsubscribe = ctx.configStore.onChange(() => manager.sync());
  return {
    async stop() {
      unsubscribe();
      await manager.close();
    },
  };
}
