import type { ReplyTarget } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import type { ChatMessage, ContentPart, ModelRouter, Usage } from '../providers/types';
import type { LoadedSkill } from '../skills/prompt';
import type { UsageBook } from '../usage/book';
import type { WorkspaceFsFactory } from '../workspace/types';
import * as z from '../zod';
import type { ExecApprovals } from './exec/approvals';
import type { ExecRunner } from './exec/types';
import type { MemoryFsFactory } from './memories';
import type { SessionStore, SessionSummary } from './session-store';
import type { ToolDecision } from './tools/policy';
import type { AgentTool, SessionTrust } from './tools/types';
import type { WebTransport } from './web/transport';

/** What a run reports while it goes: streamed text, each tool call, then one `final` or `error`. */
export type AgentEvent =
  | { type: 'model'; ref: string }
  | { type: 'delta'; text: string }
  | { type: 'tool'; name: string; args: unknown; result?: unknown; isError?: boolean; durationMs?: number }
  | { type: 'final'; text: string; model?: string; usage: Usage }
  | { type: 'error'; code: string; message: string };

export interface RunTurnOptions {
  /** The agent to run; taken from `sessionKey` when absent, else the default agent. */
  agentId?: string;
  /** `agent:<agentId>:<channel>:<accountOrChat>:<peer>`; the agent's control session when absent. */
  sessionKey?: string;
  message: string | ContentPart[];
  /** Where the conversation lives (tools like reminders reply there). */
  origin?: ReplyTarget;
  /**
   * The chat where the owner may be asked to approve a command (answered with `/approve`): set
   * only where the owner reads and can answer, i.e. an owner's chat turn in its own DM, or a cron
   * job delivering to an owner's DM. Absent: approvals go to the Control UI only, never into a
   * group that merely receives the answer.
   */
  approvalChat?: ReplyTarget;
  signal?: AbortSignal;
  onEvent?(event: AgentEvent): void;
  /** An id for `abort(runId)`; generated when absent. */
  runId?: string;
  /**
   * Idempotency key of this turn (the spool key): when the session already recorded a turn with
   * this id, its answer is returned without calling the model again (replay after a crash).
   */
  turnId?: string;
  /**
   * A conversation supplied by the caller (the OpenAI-compatible API sends it whole): the
   * session transcript is neither read nor written.
   */
  history?: ChatMessage[];
  /** Extra system text from the caller, appended to the agent's system prompt. */
  extraSystem?: string;
  /**
   * Owner or guest turn: decides the tools offered and the workspace files in the prompt.
   * ABSENT MEANS GUEST; every caller sets it (a sender in `owners`, the Control UI, the gateway
   * token and the owner's cron jobs are owners).
   */
  trust?: SessionTrust;
}

export interface TurnResult {
  text: string;
  sessionKey: string;
  agentId: string;
  runId: string;
  model?: string;
  usage: Usage;
  /** Set when the message was a command (`/new`, `/reset`, `/status`) answered without a model. */
  command?: string;
}

/**
 * An agent as `agents.list` shows it. Runtime code imports only types from this file, so the
 * schema is not built at start.
 */
export const agentInfo = z.object({
  id: z.string(),
  name: z.string().optional(),
  default: z.boolean(),
  model: z.object({ primary: z.string().optional(), fallbacks: z.array(z.string()) }),
  workspace: z.string(),
});
export type AgentInfo = z.infer<typeof agentInfo>;

/** Reads a prompt file of an agent's workspace; null when the file does not exist. */
export type ReadWorkspaceFile = (dir: string, name: string, agentId: string) => Promise<string | null>;

export interface AgentRuntimeDeps {
  /** Overrides `ctx.models` (a scripted router in tests). */
  models?: () => ModelRouter | undefined;
  /** Overrides how the system prompt's workspace files are read (default: through `workspaceFs`). */
  readWorkspaceFile?: ReadWorkspaceFile;
  /** An agent's workspace files (Node: its folder on disk); the store when absent (Workers, tests). */
  workspaceFs?: WorkspaceFsFactory;
  /** Dynamic tools (MCP servers), asked each turn; the policy filters them like the built-in ones. */
  toolSources?: Array<() => AgentTool[]>;
  /** The skills of a workspace (Node: `<workspace>/skills`, `$STATE_DIR/skills`), listed in owner turns' system prompt. */
  skills?: (workspace: string, config: KrabConfig) => Promise<LoadedSkill[]>;
  /** Each agent's memory files in its workspace on disk; in the store when absent. */
  memoryFs?: MemoryFsFactory;
  /** Runs `exec` commands (Node); absent where there are no processes (Workers). */
  exec?: ExecRunner;
  /** How `web_fetch` connects (Node: to the checked address); plain fetch when absent. */
  web?: WebTransport;
}

export interface AgentRuntimeStatus {
  running: number;
  waiting: number;
  maxConcurrent: number;
  agents: number;
  defaultAgent: string;
}

/** The agent runtime on `ctx.agents`: runs turns (serialized per session, bounded across the gateway). */
export interface AgentRuntime {
  runTurn(options: RunTurnOptions): Promise<TurnResult>;
  listAgents(): AgentInfo[];
  /** The agent and session a run with these options would use (validates both). */
  resolveSession(options: { agentId?: string; sessionKey?: string }): { agentId: string; sessionKey: string };
  /** Aborts a running turn; false when no run has that id. */
  abort(runId: string): boolean;
  sessions: SessionStore;
  /** Exec commands waiting for the owner's decision. */
  approvals: ExecApprovals;
  /** Provider calls' tokens per day, model, agent and channel (`usage.summary`, `/usage`). */
  usage: UsageBook;
  status(): AgentRuntimeStatus;
  /** Every known tool for this agent and trust, with the reason it is off (`status`, tests); loads the turn code. */
  explainTools(agentId: string, trust: SessionTrust): Promise<ToolDecision[]>;
}

export type { SessionSummary };
