import type { KrabConfig } from '../config/schema';
import type { AgentEntry } from '../config/sections/agents';
import { GatewayError } from '../errors';
import type { AgentInfo } from './types';

/** The agent that answers when nothing names one and the config lists none. */
export const FALLBACK_AGENT_ID = 'main';
export const DEFAULT_MAX_CONCURRENT = 4;
/** Transcript budget in tokens (approx. chars/4) when `agents.defaults.contextTokens` is unset. */
export const DEFAULT_CONTEXT_TOKENS = 32_000;

type ModelSetting = NonNullable<AgentEntry['model']>;

/** `agents.list` (or its alias `agents.entries`); a lone `main` agent when neither is set. */
export function agentEntries(config: KrabConfig): AgentEntry[] {
  const list = [...(config.agents?.list ?? []), ...(config.agents?.entries ?? [])];
  const seen = new Set<string>();
  const unique = list.filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
  return unique.length > 0 ? unique : [{ id: FALLBACK_AGENT_ID, default: true }];
}

/** The entry marked `default`, else the first one. */
export function defaultAgentId(config: KrabConfig): string {
  const entries = agentEntries(config);
  return (entries.find((entry) => entry.default) ?? entries[0])?.id ?? FALLBACK_AGENT_ID;
}

export function findAgent(config: KrabConfig, id: string): AgentEntry {
  const entry = agentEntries(config).find((candidate) => candidate.id === id);
  if (!entry) {
    const known = agentEntries(config)
      .map((candidate) => candidate.id)
      .join(', ');
    throw new GatewayError('NOT_FOUND', `unknown agent ${JSON.stringify(id)} (agents: ${known})`);
  }
  return entry;
}

function toChoice(setting: ModelSetting | undefined): { primary?: string; fallbacks?: string[] } {
  if (setting === undefined) return {};
  return typeof setting === 'string' ? { primary: setting } : setting;
}

/**
 * The models to try for an agent, in order: its own `model` (a string or `{primary, fallbacks}`),
 * falling back per field to `agents.defaults.model`.
 */
export function agentModels(
  config: KrabConfig,
  entry: AgentEntry,
): { primary?: string; fallbacks: string[] } {
  const own = toChoice(entry.model);
  const defaults = toChoice(config.agents?.defaults?.model);
  const primary = own.primary ?? defaults.primary;
  const fallbacks = (own.fallbacks ?? defaults.fallbacks ?? []).filter((ref) => ref !== primary);
  return primary === undefined ? { fallbacks } : { primary, fallbacks };
}

export function modelChain(config: KrabConfig, entry: AgentEntry): string[] {
  const { primary, fallbacks } = agentModels(config, entry);
  return [...(primary ? [primary] : []), ...fallbacks];
}

/**
 * The agent's workspace dir: its own `workspace`, else `<agents.defaults.workspace>/<id>`,
 * else `$STATE_DIR/workspace/<id>`.
 */
export function agentWorkspace(config: KrabConfig, entry: AgentEntry, stateDir: string | undefined): string {
  if (entry.workspace) return entry.workspace;
  const base = config.agents?.defaults?.workspace ?? `${(stateDir ?? '.').replace(/\/+$/, '')}/workspace`;
  return `${base.replace(/\/+$/, '')}/${entry.id}`;
}

export function toAgentInfo(config: KrabConfig, entry: AgentEntry, stateDir: string | undefined): AgentInfo {
  return {
    id: entry.id,
    ...(entry.name ? { name: entry.name } : {}),
    default: entry.id === defaultAgentId(config),
    model: agentModels(config, entry),
    workspace: agentWorkspace(config, entry, stateDir),
  };
}

export function maxConcurrent(config: KrabConfig): number {
  return config.agents?.defaults?.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
}

export function contextTokens(config: KrabConfig): number {
  return config.agents?.defaults?.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
}
