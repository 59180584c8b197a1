import { compactionMark, type SessionSummary, sessionSummary } from '../../agent/session-records';
import { type AgentInfo, agentInfo } from '../../agent/types';
import { type ChatMessage, chatMessage } from '../../providers/types';
import * as z from '../../zod';

// The records inside are their owners' schemas (one definition each); the protocol owns the envelopes.
// Nothing imports these schemas at runtime (the methods and the Control UI import their types).

/** `sessions.list`: newest first. */
export const sessionsList = z.object({ sessions: z.array(sessionSummary) });
export type SessionsList = z.infer<typeof sessionsList>;

/** `sessions.history`: the stored transcript (tool calls and results as the model saw them). */
export const sessionsHistory = z.object({
  sessionKey: z.string(),
  turns: z.number(),
  messages: z.array(chatMessage),
  compactions: z.array(compactionMark),
});
export type SessionsHistory = z.infer<typeof sessionsHistory>;

/** `agents.list`. */
export const agentsList = z.object({
  agents: z.array(agentInfo),
  defaultAgent: z.string().optional(),
});
export type AgentsList = z.infer<typeof agentsList>;

export type { AgentInfo, ChatMessage, SessionSummary };
