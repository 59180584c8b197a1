import type { CompactionMark } from '../../agent/compaction';
import type { SessionSummary } from '../../agent/session-store';
import type { AgentInfo } from '../../agent/types';
import type { ChatMessage } from '../../providers/types';
import * as z from '../../zod';

// The records inside are the stores' own types (one definition each); the protocol owns the envelopes.

/** `sessions.list`: newest first. */
export const sessionsList = z.object({ sessions: z.array(z.custom<SessionSummary>()) });
export type SessionsList = z.infer<typeof sessionsList>;

/** `sessions.history`: the stored transcript (tool calls and results as the model saw them). */
export const sessionsHistory = z.object({
  sessionKey: z.string(),
  turns: z.number(),
  messages: z.array(z.custom<ChatMessage>()),
  compactions: z.array(z.custom<CompactionMark>()),
});
export type SessionsHistory = z.infer<typeof sessionsHistory>;

/** `agents.list`. */
export const agentsList = z.object({
  agents: z.array(z.custom<AgentInfo>()),
  defaultAgent: z.string().optional(),
});
export type AgentsList = z.infer<typeof agentsList>;

export type { AgentInfo, ChatMessage, SessionSummary };
