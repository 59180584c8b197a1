import { mcpHolder } from '../../../core/mcp/registry';
import { type McpStartContext, startMcp } from '../../../core/mcp/start';
import type { NodeService } from '../services';

/**
 * MCP servers connect after the gateway listens (start never waits for them); a config change
 * reconnects only the servers whose entry changed; stopping the gateway closes every session
 * (stdio servers' processes end). Nothing of the SDK is loaded until a server connects.
 */
export const mcpService: NodeService<McpStartContext> = {
  name: 'mcp',
  async start({ ctx }) {
    return startMcp(ctx, mcpHolder(ctx), {
      // The connectors (and through them the SDK) load when a server connects.
      connect: async (...args) => (await import('../service-parts')).connectNode(...args),
      stdio: true,
    });
  },
};
