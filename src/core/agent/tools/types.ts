import type { ReplyTarget } from '../../channels/types';
import type { GatewayContext } from '../../context';
import * as z from '../../zod';

/** What a tool's `run` gets besides its checked arguments. */
export interface ToolContext {
  ctx: GatewayContext;
  agentId: string;
  sessionKey: string;
  /** Where the conversation lives (a reminder replies there); absent for control and API runs. */
  origin?: ReplyTarget;
  signal?: AbortSignal;
}

/** A tool the model may call: arguments checked by the zod schema before `run` sees them. */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: S;
  run(args: z.output<S>, toolCtx: ToolContext): Promise<unknown>;
}

/** Declares a tool with its zod schema; the `TOOLS` table in `tools/index.ts` collects them. */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool {
  return tool as unknown as AgentTool;
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON Schema the provider sees for a tool's parameters. */
export function toolJsonSchema(tool: AgentTool): Record<string, unknown> {
  let schema = schemaCache.get(tool.parameters);
  if (!schema) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(tool.parameters, {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    schema = rest;
    schemaCache.set(tool.parameters, schema);
  }
  return schema;
}
