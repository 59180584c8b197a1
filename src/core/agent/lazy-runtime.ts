import type { GatewayContext } from '../context';
import { agentEntries, defaultAgentId, maxConcurrent, toAgentInfo } from './agents-config';
import { createAgentParts } from './parts';
import { resolveAgentSession } from './resolve-session';
import type { AgentRuntimeContext, AgentTurns } from './runtime';
import type { AgentRuntime, AgentRuntimeDeps } from './types';

/**
 * Builds `ctx.agents`. The turn code (model loop, tools and their schemas, memory, compaction) is
 * loaded on the first turn or `explainTools`, not at start: a gateway that only starts never pays
 * for it. What start and the control API read at once (agents, sessions, approvals, usage, the
 * limiter's counts) is here.
 */
export function createAgentRuntime(
  ctx: AgentRuntimeContext,
  toolContext: () => GatewayContext,
  deps: AgentRuntimeDeps = {},
): AgentRuntime {
  const parts = createAgentParts(ctx);
  let turns: AgentTurns | undefined;
  let loading: Promise<AgentTurns> | undefined;
  // Runs waiting for the turn code, by id: `abort` reaches them too.
  const waiting = new Map<string, AbortController>();

  const load = (): Promise<AgentTurns> =>
    (loading ??= import('./runtime').then(
      (module) => (turns = module.createAgentTurns(ctx, toolContext, deps, parts)),
      (error: unknown) => {
        loading = undefined; // the next turn tries again
        throw error;
      },
    ));

  return {
    async runTurn(options) {
      if (turns) return turns.runTurn(options);
      const runId = options.runId ?? crypto.randomUUID();
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) controller.abort();
      waiting.set(runId, controller);
      try {
        const loaded = await load().finally(() => waiting.delete(runId));
        return await loaded.runTurn({ ...options, runId, signal: controller.signal });
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
    listAgents() {
      const config = ctx.config();
      return agentEntries(config).map((entry) => toAgentInfo(config, entry, ctx.runtime.stateDir));
    },
    resolveSession: (options) => resolveAgentSession(ctx.config(), options),
    abort(runId) {
      if (turns) return turns.abort(runId);
      const controller = waiting.get(runId);
      controller?.abort();
      return controller !== undefined;
    },
    sessions: parts.sessions,
    approvals: parts.approvals,
    usage: parts.usage,
    status() {
      const config = ctx.config();
      return {
        running: parts.limiter.running,
        waiting: parts.limiter.waiting,
        maxConcurrent: maxConcurrent(config),
        agents: agentEntries(config).length,
        defaultAgent: defaultAgentId(config),
      };
    },
    async explainTools(agentId, trust) {
      return (turns ?? (await load())).explainTools(agentId, trust);
    },
  };
}
