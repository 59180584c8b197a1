import type { ReplyTarget } from '../../channels/types';
import type { KrabConfig } from '../../config/schema';
import type { GatewayContext, RuntimeKind } from '../../context';
import type { EnvRecord } from '../../env';
import type { AgentMemory } from '../../memory/agent-memory';
import type { ImagePart } from '../../providers/types';
import type { WorkspaceFs } from '../../workspace/types';
import * as z from '../../zod';
import type { ExecRunner } from '../exec/types';
import type { WebTransport } from '../web/transport';

/**
 * Whose turn this is. `owner`: a sender in `owners`, the Control UI, the gateway token, the
 * owner's cron jobs. `guest`: everyone else. Absent anywhere means guest (fail safe).
 */
export type SessionTrust = 'owner' | 'guest';

/** `tools.profile`: each profile includes the ones before it (minimal < messaging < full). */
export const TOOL_PROFILES = ['minimal', 'messaging', 'full'] as const;
export type ToolProfile = (typeof TOOL_PROFILES)[number];

/** What a tool's `run` gets besides its checked arguments. */
export interface ToolContext {
  ctx: GatewayContext;
  agentId: string;
  sessionKey: string;
  /** Where the conversation lives (a reminder replies there); absent for control and API runs. */
  origin?: ReplyTarget;
  /** Where exec may ask the owner in chat (`RunTurnOptions.approvalChat`); Control UI only when absent. */
  approvalChat?: ReplyTarget;
  signal?: AbortSignal;
  /** Owner or guest turn; tools with owner-only powers check it again (defence in depth). */
  trust: SessionTrust;
  /** The agent's Markdown memory (memory tools); owner sessions only. */
  memory?: AgentMemory;
  /** The agent's workspace files, confined to its workspace (the file tools). */
  workspace?: WorkspaceFs;
  /** Runs shell commands (Node); absent where the runtime has no processes. */
  exec?: ExecRunner;
  /** How `web_fetch` connects (Node: pinned to the checked address); plain fetch when absent. */
  web?: WebTransport;
}

/** What `unavailable` may look at. */
export interface ToolEnv {
  config: KrabConfig;
  env: EnvRecord;
  runtime: RuntimeKind;
}

/** A tool the model may call: arguments checked by the zod schema before `run` sees them. */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: S;
  run(args: z.output<S>, toolCtx: ToolContext): Promise<unknown>;
  /** The smallest `tools.profile` that includes the tool. */
  profile: ToolProfile;
  /** Offered to guest sessions by default (current_time, web_search, web_fetch, reminders). */
  guestSafe?: boolean;
  /**
   * Never offered to guests, whatever `tools.guests.allow` says (exec, the owner's memory); says
   * why, for `status`.
   */
  neverGuest?: string;
  /** Why the tool cannot be offered here (no search provider, exec on Workers); undefined = offered. */
  unavailable?(env: ToolEnv): string | undefined;
  /**
   * A JSON Schema given as is to the provider instead of one derived from `parameters` (MCP
   * tools: their server's schema; `parameters` is then a permissive `z.record`).
   */
  jsonSchema?: Record<string, unknown>;
}

/**
 * What a tool returns to show the model pictures beside its text (`read` of an image). Models
 * without vision get a one-line description of each image instead (the router decides).
 */
export class ToolImages {
  constructor(
    readonly text: string,
    readonly images: ImagePart[],
  ) {}
}

/** Declares a tool with its zod schema; the `TOOLS` table in `tools/index.ts` collects them. */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool {
  return tool as unknown as AgentTool;
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON Schema the provider sees for a tool's parameters. */
export function toolJsonSchema(tool: AgentTool): Record<string, unknown> {
  if (tool.jsonSchema) return tool.jsonSchema;
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
