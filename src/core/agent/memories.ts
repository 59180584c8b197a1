import type { GatewayContext } from '../context';
import { type AgentMemory, createAgentMemory } from '../memory/agent-memory';
import { createEmbedder } from '../memory/embeddings';
import type { MemoryFs } from '../memory/fs';
import { memoryFsOver } from '../memory/workspace-memory-fs';
import type { WorkspaceFs } from '../workspace/types';
import { agentWorkspace, findAgent } from './agents-config';

/** Node walks each agent's workspace on disk directly; elsewhere memory goes through the agent's WorkspaceFs. */
export type MemoryFsFactory = (workspace: string) => MemoryFs;

/**
 * One `AgentMemory` per agent and workspace, kept for the gateway's life (its search index is
 * built once, then updated file by file).
 */
export function createMemories(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'runtime'>,
  memoryFs: MemoryFsFactory | undefined,
  workspaceFs: (agentId: string, workspace: string) => WorkspaceFs,
): (agentId: string) => AgentMemory {
  const log = ctx.log.scope('memory');
  const now = () => ctx.clock.now();
  const memories = new Map<string, AgentMemory>();
  let embedderFor: { config: unknown; embedder: ReturnType<typeof createEmbedder> } | undefined;
  const embedder = () => {
    const config = ctx.config();
    if (embedderFor?.config !== config) embedderFor = { config, embedder: createEmbedder(config, ctx.env) };
    return embedderFor.embedder;
  };
  return (agentId) => {
    const config = ctx.config();
    const workspace = agentWorkspace(config, findAgent(config, agentId), ctx.runtime.stateDir);
    const key = `${agentId}\0${workspace}`;
    let memory = memories.get(key);
    if (!memory) {
      const fs = memoryFs ? memoryFs(workspace) : memoryFsOver(workspaceFs(agentId, workspace));
      memory = createAgentMemory({ agentId, fs, store: ctx.store, log, now, embedder });
      memories.set(key, memory);
    }
    return memory;
  };
}
