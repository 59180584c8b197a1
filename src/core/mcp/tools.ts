import type { AgentTool } from '../agent/tools/types';
import * as z from '../zod';
import type { McpManager } from './manager';
import { resultText } from './result';
import { qualifiedName } from './tool-list';

/** Any JSON object: the server's own schema (`jsonSchema`) is what the model sees and the server checks. */
const ANY_ARGUMENTS = z.record(z.string(), z.unknown());

/**
 * The tools of every ready server, as `<server>__<tool>` with the server's JSON Schema. Owner
 * sessions only unless the server says `allowGuests`; results come back as untrusted text.
 */
export function mcpTools(manager: McpManager): AgentTool[] {
  return manager.ready().flatMap(({ name: server, server: config, connection }) =>
    connection.tools.map(
      (tool): AgentTool => ({
        name: qualifiedName(server, tool.name),
        description: tool.description || `${tool.name} (MCP server ${server})`,
        parameters: ANY_ARGUMENTS,
        jsonSchema: tool.inputSchema,
        profile: 'full',
        ...(config.allowGuests ? { guestSafe: true } : {}),
        async run(args, toolCtx) {
          const result = await manager.call(
            server,
            tool.name,
            args as Record<string, unknown>,
            toolCtx.signal,
          );
          return resultText(`mcp:${server}/${tool.name}`, result as Parameters<typeof resultText>[1]);
        },
      }),
    ),
  );
}

/** The runtime's tool source for a holder whose manager starts later (after the gateway listens). */
export function mcpToolSource(holder: { manager: McpManager | undefined }): () => AgentTool[] {
  return () => (holder.manager ? mcpTools(holder.manager) : []);
}
