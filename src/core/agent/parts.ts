import type { GatewayContext } from '../context';
import { createUsageBook } from '../usage/book';
import { maxConcurrent } from './agents-config';
import { createExecApprovals } from './exec/approvals';
import { createRunLimiter, type RunLimiter } from './limiter';
import { createSessionStore } from './session-store';
import type { AgentRuntime } from './types';

/** The agent runtime's state that exists from start (`ctx.agents.sessions`, the limiter `status` reads). */
export interface AgentParts extends Pick<AgentRuntime, 'sessions' | 'approvals' | 'usage'> {
  limiter: RunLimiter;
}

export function createAgentParts(
  ctx: Pick<GatewayContext, 'config' | 'configStore' | 'store' | 'log' | 'clock' | 'events'>,
): AgentParts {
  const now = () => ctx.clock.now();
  return {
    limiter: createRunLimiter(() => maxConcurrent(ctx.config())),
    sessions: createSessionStore(ctx.store, now),
    approvals: createExecApprovals(ctx),
    usage: createUsageBook(ctx.store, now),
  };
}
