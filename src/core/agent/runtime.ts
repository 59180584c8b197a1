import type { GatewayContext } from '../context';
import { GatewayError, toErrorShape } from '../errors';
import type { ChatMessage, ModelRouter } from '../providers/types';
import { createMeters, type MeteredRouter } from '../usage/meter';
import { readTextFile } from '../workspace/read-text';
import { createStoreWorkspaceFs } from '../workspace/store-fs';
import type { WorkspaceFs } from '../workspace/types';
import { agentWorkspace, contextTokens, findAgent, modelChain, toAgentInfo } from './agents-config';
import { CHAT_COMMANDS, parseChatCommand, runChatCommand } from './commands';
import { compactionSettings, MEMORY_FLUSH_PROMPT } from './compaction';
import { type CompactRequest, createCompactor } from './compactor';
import { createKeyedQueue } from './limiter';
import { createMemories } from './memories';
import { isAbortedError, runModelLoop } from './model-loop';
import type { AgentParts } from './parts';
import { resolveAgentSession } from './resolve-session';
import { RECENT_TURNS, type SessionRecord } from './session-store';
import { recordCalls, withCalls } from './session-usage';
import { buildSystemPrompt, MAX_WORKSPACE_FILE_BYTES } from './system-prompt';
import { explainTools, type ResolveToolsInput, resolveTools, type ToolDecision } from './tools/policy';
import type { SessionTrust, ToolContext } from './tools/types';
import { estimateTokens, forStorage, transcriptTokens, trimToBudget } from './trim';
import { collectSourceTools, skillsBlock } from './turn-sources';
import type { AgentEvent, AgentRuntime, AgentRuntimeDeps, RunTurnOptions, TurnResult } from './types';
import { cachedWorkspaceReader } from './workspace-cache';

/** A message longer than this is refused (channels cut theirs before; this guards the control API). */
export const MAX_MESSAGE_CHARS = 200_000;
/**
 * A stored transcript is cut (oldest whole turns) past this many times the context budget: only
 * reached when compaction keeps failing, so a broken summarizer cannot grow a session forever.
 */
export const STORED_BUDGET_FACTOR = 4;
/** Tools the silent memory-flush turn may use. */
const FLUSH_TOOLS = new Set(['memory_save', 'memory_search', 'memory_get', 'read', 'write', 'edit']);

/** What the agent runtime is built from (the context before it has `agents` and `pipeline`). */
export type AgentRuntimeContext = Pick<
  GatewayContext,
  'config' | 'configStore' | 'env' | 'store' | 'log' | 'clock' | 'events' | 'models' | 'runtime' | 'waitUntil'
>;

/** What the turn code adds to the parts built at start (`lazy-runtime.ts` loads it on first need). */
export interface AgentTurns {
  runTurn: AgentRuntime['runTurn'];
  abort: AgentRuntime['abort'];
  explainTools(agentId: string, trust: SessionTrust): ToolDecision[];
}

/**
 * Runs the turns of `ctx.agents`: serialized per session, at most `agents.defaults.maxConcurrent`
 * at once (`parts.limiter`). Tools get the whole context when they run (`toolContext`).
 */
export function createAgentTurns(
  ctx: AgentRuntimeContext,
  toolContext: () => GatewayContext,
  deps: AgentRuntimeDeps,
  parts: AgentParts,
): AgentTurns {
  const log = ctx.log.scope('agent');
  const { limiter, sessions, approvals, usage } = parts;
  const queue = createKeyedQueue();
  const runs = new Map<string, AbortController>();
  const workspaceFs = (agentId: string, workspace: string): WorkspaceFs =>
    deps.workspaceFs?.({ id: agentId, workspace }) ??
    createStoreWorkspaceFs(ctx.store, agentId, () => ctx.clock.now());
  const workspaceFiles = cachedWorkspaceReader(
    deps.readWorkspaceFile ??
      (async (dir, name, agentId) =>
        (await readTextFile(workspaceFs(agentId, dir), name, MAX_WORKSPACE_FILE_BYTES))?.text ?? null),
    () => ctx.clock.now(),
  );
  const router = (): ModelRouter | undefined => deps.models?.() ?? ctx.models;
  const memoryOf = createMemories(ctx, deps.memoryFs, workspaceFs);
  const meter = createMeters({ book: usage, waitUntil: (p) => ctx.waitUntil(p), warn: (m) => log.warn(m) });

  const recordSessionCalls = (sessionKey: string, metered: MeteredRouter) =>
    recordCalls(sessions, sessionKey, metered, (message) => log.warn(message));

  /** What a tool sees in a session (a turn adds its origin, exec and web). Only the owner's has memory. */
  function toolCtxFor(
    agentId: string,
    sessionKey: string,
    trust: SessionTrust,
    workspace: string,
    signal: AbortSignal | undefined,
  ): ToolContext {
    return {
      ctx: toolContext(),
      agentId,
      sessionKey,
      trust,
      ...(trust === 'owner' ? { memory: memoryOf(agentId) } : {}),
      workspace: workspaceFs(agentId, workspace),
      ...(signal ? { signal } : {}),
    };
  }

  /** The session's models: its `/model` choice first, then the agent's chain. */
  function sessionModels(agentId: string, record: SessionRecord | null): string[] {
    const chain = modelChain(ctx.config(), findAgent(ctx.config(), agentId));
    const chosen = record?.modelOverride;
    return chosen ? [chosen, ...chain.filter((ref) => ref !== chosen)] : chain;
  }

  /** The silent turn before a compaction: the agent saves what matters; nothing is shown or stored. */
  async function memoryFlush(
    request: CompactRequest,
    messages: ChatMessage[],
    modelRouter: ModelRouter,
  ): Promise<void> {
    const config = ctx.config();
    const entry = findAgent(config, request.agentId);
    const record = await sessions.get(request.sessionKey);
    const models = sessionModels(request.agentId, record);
    if (models.length === 0) return;
    const tools = resolveTools(policyInput(request.agentId, 'owner')).filter((tool) =>
      FLUSH_TOOLS.has(tool.name),
    );
    if (tools.length === 0) return;
    const workspace = agentWorkspace(config, entry, ctx.runtime.stateDir);
    const system = await buildSystemPrompt({
      config,
      entry,
      workspace,
      trust: 'owner',
      tools: true,
      read: workspaceFiles,
      log,
    });
    const budget = contextTokens(config);
    const flushPrompt: ChatMessage = { role: 'user', content: MEMORY_FLUSH_PROMPT };
    // Not through the limiter: it runs inside a turn (or /compact) that already holds the session.
    await runModelLoop({
      router: modelRouter,
      models,
      system,
      messages: [...trimToBudget(messages, budget - estimateTokens(flushPrompt)), flushPrompt],
      tools,
      toolCtx: toolCtxFor(request.agentId, request.sessionKey, 'owner', workspace, request.signal),
      signal: request.signal ?? new AbortController().signal,
      emit: () => {},
    });
  }

  const compact = createCompactor({
    ctx,
    sessions,
    models: (agentId, record) => sessionModels(agentId, record),
    flush: memoryFlush,
  });

  function policyInput(agentId: string, trust: SessionTrust): ResolveToolsInput {
    return {
      config: ctx.config(),
      agentId,
      trust,
      runtime: ctx.runtime.kind,
      env: ctx.env,
      extra: collectSourceTools(deps.toolSources, log),
    };
  }

  const resolveSession = (options: { agentId?: string; sessionKey?: string }) =>
    resolveAgentSession(ctx.config(), options);

  async function turn(
    options: RunTurnOptions,
    agentId: string,
    sessionKey: string,
    runId: string,
    signal: AbortSignal,
    emit: (event: AgentEvent) => void,
  ): Promise<TurnResult> {
    const config = ctx.config();
    const entry = findAgent(config, agentId);
    const ephemeral = options.history !== undefined;
    const record = ephemeral ? null : await sessions.get(sessionKey);
    const recorded = options.turnId
      ? record?.recentTurns?.find((turn) => turn.id === options.turnId)
      : undefined;
    if (recorded) {
      log.info(`turn ${recorded.id} in ${sessionKey} was already answered; not asking the model again`);
      const { text, model } = recorded;
      return {
        text,
        sessionKey,
        agentId,
        runId,
        ...(model ? { model } : {}),
        usage: { inputTokens: 0, outputTokens: 0 },
      };
    }
    const models = sessionModels(agentId, record);
    if (models.length === 0) {
      throw new GatewayError(
        'UNAVAILABLE',
        `no model configured for agent ${agentId}: set agents.defaults.model.primary (e.g. "anthropic/claude-opus-4-5")`,
      );
    }
    const baseRouter = router();
    if (!baseRouter) throw new GatewayError('UNAVAILABLE', 'no model providers are set up in this gateway');
    const modelRouter = meter(baseRouter, agentId, sessionKey);

    const user: ChatMessage = { role: 'user', content: options.message };
    const budget = contextTokens(config);
    // Absent means guest: a caller that forgets to say gets the safe side.
    const trust = options.trust ?? 'guest';
    let stored = record?.messages ?? [];
    if (
      !ephemeral &&
      transcriptTokens(stored) + estimateTokens(user) > compactionSettings(config).thresholdTokens
    ) {
      const outcome = await compact({ agentId, sessionKey, trust, signal, router: modelRouter });
      if (outcome.compacted) stored = (await sessions.get(sessionKey))?.messages ?? [];
    }
    const history = trimToBudget(options.history ?? stored, Math.max(0, budget - estimateTokens(user)));
    const tools = resolveTools(policyInput(agentId, trust));
    const workspace = agentWorkspace(config, entry, ctx.runtime.stateDir);
    const skills = trust === 'owner' ? await skillsBlock(deps.skills, workspace, config, log) : undefined;
    const system = await buildSystemPrompt({
      config,
      entry,
      workspace,
      trust,
      tools: tools.length > 0,
      read: workspaceFiles,
      log,
      extra: [skills, options.extraSystem].filter(Boolean).join('\n\n'),
    });
    const toolCtx: ToolContext = {
      ...toolCtxFor(agentId, sessionKey, trust, workspace, signal),
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.approvalChat ? { approvalChat: options.approvalChat } : {}),
      ...(deps.exec ? { exec: deps.exec } : {}),
      ...(deps.web ? { web: deps.web } : {}),
    };
    const persist = async (added: ChatMessage[], text: string, model: string | undefined) => {
      if (ephemeral) return;
      await sessions.update(sessionKey, (current) => ({
        ...withCalls(current, modelRouter),
        messages: trimToBudget(
          [...current.messages, user, ...added].map(forStorage),
          budget * STORED_BUDGET_FACTOR,
        ),
        turns: current.turns + 1,
        updatedAt: ctx.clock.now(),
        ...(model ? { model } : {}),
        ...(options.turnId
          ? {
              recentTurns: [
                ...(current.recentTurns ?? []),
                { id: options.turnId, text, ...(model ? { model } : {}) },
              ].slice(-RECENT_TURNS),
            }
          : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      }));
    };

    let loop: Awaited<ReturnType<typeof runModelLoop>>;
    try {
      loop = await runModelLoop({
        router: modelRouter,
        models,
        system,
        messages: [...history, user],
        tools,
        toolCtx,
        signal,
        emit,
        ...(record?.thinking && record.thinking !== 'off' ? { reasoning: record.thinking } : {}),
      });
    } catch (error) {
      // Keep what an aborted run completed (its rounds hold matching tool pairs) so the transcript stays true.
      if (isAbortedError(error)) await persist(error.partial.added, error.partial.text, error.partial.model);
      // A failed turn keeps no transcript, but its calls (and its compaction's) were made all the same.
      else if (!ephemeral) await recordSessionCalls(sessionKey, modelRouter);
      throw error;
    }
    await persist(loop.added, loop.text, loop.model);
    return {
      text: loop.text,
      sessionKey,
      agentId,
      runId,
      ...(loop.model ? { model: loop.model } : {}),
      usage: loop.usage,
    };
  }

  return {
    async runTurn(options) {
      const { agentId, sessionKey } = resolveSession(options);
      const runId = options.runId ?? crypto.randomUUID();
      const textLength =
        typeof options.message === 'string'
          ? options.message.length
          : options.message.reduce((n, part) => n + (part.type === 'text' ? part.text.length : 0), 0);
      if (textLength > MAX_MESSAGE_CHARS)
        throw new GatewayError('PAYLOAD_TOO_LARGE', `message longer than ${MAX_MESSAGE_CHARS} characters`);
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) controller.abort();
      runs.set(runId, controller);
      const emit = (event: AgentEvent) => {
        try {
          options.onEvent?.(event);
        } catch (error) {
          log.error('a run listener failed', error);
        }
      };
      const started = ctx.clock.now();
      try {
        const command = options.history ? undefined : parseChatCommand(options.message);
        let result: TurnResult;
        if (command) {
          const config = ctx.config();
          const agent = toAgentInfo(config, findAgent(config, agentId), ctx.runtime.stateDir);
          const trust = options.trust ?? 'guest';
          const answer = () =>
            runChatCommand(command.name, {
              agent,
              sessionKey,
              sessions,
              config,
              trust,
              args: command.args,
              approvals,
              usage,
              compact: async (focus) => {
                const base = router();
                const metered = base && meter(base, agentId, sessionKey);
                try {
                  return await compact({
                    agentId,
                    sessionKey,
                    trust,
                    signal: controller.signal,
                    force: true,
                    ...(metered ? { router: metered } : {}),
                    ...(focus ? { focus } : {}),
                  });
                } finally {
                  if (metered) await recordSessionCalls(sessionKey, metered);
                }
              },
            });
          // /approve is answered at once: the session's running turn may be the one waiting for it.
          const text = await (CHAT_COMMANDS[command.name]?.immediate
            ? answer()
            : queue.run(sessionKey, answer));
          result = {
            text,
            sessionKey,
            agentId,
            runId,
            usage: { inputTokens: 0, outputTokens: 0 },
            command: command.name,
          };
        } else {
          const work = () =>
            limiter.run(() => turn(options, agentId, sessionKey, runId, controller.signal, emit));
          result = await (options.history ? work() : queue.run(sessionKey, work));
        }
        log.debug(
          `${sessionKey}: answered${result.model ? ` by ${result.model}` : ''} in ${ctx.clock.now() - started} ms`,
        );
        emit({
          type: 'final',
          text: result.text,
          ...(result.model ? { model: result.model } : {}),
          usage: result.usage,
        });
        return result;
      } catch (error) {
        const shape = toErrorShape(error);
        emit({ type: 'error', code: isAbortedError(error) ? 'ABORTED' : shape.code, message: shape.message });
        throw error;
      } finally {
        runs.delete(runId);
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
    abort(runId) {
      const controller = runs.get(runId);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    explainTools(agentId, trust) {
      return explainTools(policyInput(agentId, trust));
    },
  };
}
