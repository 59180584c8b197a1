import type { GatewayContext } from '../../core/context';
import { connectHttp } from '../../core/mcp/connect-http';
import { createMcpManager } from '../../core/mcp/manager';
import type { McpHolder } from '../../core/mcp/registry';

/**
 * MCP on Workers: HTTP servers (`{url, headers}`) through the same client code as Node (the SDK is
 * imported when the first one connects); a stdio server (`command`) is `unsupported` in
 * `status.mcp`, since a Worker starts no process. Sessions open when the object starts and follow
 * config changes; an object evicted from memory opens them again when it next starts.
 */
export function startWorkerMcp(ctx: GatewayContext, holder: McpHolder): void {
  const manager = createMcpManager({
    config: ctx.config,
    clock: ctx.clock,
    log: ctx.log,
    connect: connectHttp,
    stdio: false,
    onChange: (status) => ctx.events.emit('mcp.status', status),
  });
  holder.manager = manager;
  manager.sync();
  ctx.configStore.onChange(() => manager.sync());
}
