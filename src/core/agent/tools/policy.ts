import type { KrabConfig } from '../../config/schema';
import type { RuntimeKind } from '../../context';
import type { EnvRecord } from '../../env';
import { agentEntries } from '../agents-config';
import { TOOLS } from './index';
import { type AgentTool, type SessionTrust, TOOL_PROFILES, type ToolProfile } from './types';

/** The profile of owner sessions when `tools.profile` is unset. */
export const DEFAULT_TOOL_PROFILE: ToolProfile = 'full';

export interface ResolveToolsInput {
  config: KrabConfig;
  agentId: string;
  trust: SessionTrust;
  runtime: RuntimeKind;
  env: EnvRecord;
  /** Dynamic tools (MCP) from `AgentRuntimeDeps.toolSources`; a name the table already has is ignored. */
  extra?: readonly AgentTool[];
  /** The built-in table; tests pass their own. */
  tools?: readonly AgentTool[];
}

/** One tool and why it is not offered (`reason` absent = offered). */
export interface ToolDecision {
  name: string;
  reason?: string;
  /** Off because guests never get it, whatever `tools.guests.allow` says (exec, memory). */
  neverGuest?: true;
}

/**
 * The tools offered to the model in one turn. Anything not returned is never in the provider
 * request, and a call to it is refused as "not available in this session".
 */
export function resolveTools(input: ResolveToolsInput): AgentTool[] {
  const judge = createJudge(input);
  return candidates(input).filter((tool) => judge(tool) === undefined);
}

/** Every known tool with the reason it is off, for `status` (which tools an owner or a guest gets, and why not). */
export function explainTools(input: ResolveToolsInput): ToolDecision[] {
  const judge = createJudge(input);
  return candidates(input).map((tool) => {
    const reason = judge(tool);
    if (reason === undefined) return { name: tool.name };
    return tool.neverGuest && reason === neverGuestReason(tool)
      ? { name: tool.name, reason, neverGuest: true }
      : { name: tool.name, reason };
  });
}

function candidates(input: ResolveToolsInput): AgentTool[] {
  const all = [...(input.tools ?? TOOLS), ...(input.extra ?? [])];
  const seen = new Set<string>();
  return all.filter((tool) => !seen.has(tool.name) && seen.add(tool.name));
}

/**
 * The rules, in order: unavailable here; denied (`tools.deny`, the agent's `tools.deny`); in the
 * profile or allowed (`tools.allow`, the agent's `tools.allow`). Guests then also need the tool
 * to be guest-safe or in `tools.guests.allow`, not in `tools.guests.deny`, and never `neverGuest`.
 * So a guest never gets a tool the owner does not have, and deny always wins.
 */
function createJudge(input: ResolveToolsInput): (tool: AgentTool) => string | undefined {
  const { config, trust } = input;
  const settings = config.tools;
  const agent = agentEntries(config).find((entry) => entry.id === input.agentId)?.tools;
  const profile = settings?.profile ?? DEFAULT_TOOL_PROFILE;
  const rank = TOOL_PROFILES.indexOf(profile);
  const deny = matcher(settings?.deny ?? []);
  const agentDeny = matcher(agent?.deny ?? []);
  const allow = matcher([...(settings?.allow ?? []), ...(agent?.allow ?? [])]);
  const guestDeny = matcher(settings?.guests?.deny ?? []);
  const guestAllow = matcher(settings?.guests?.allow ?? []);
  const env = { config, env: input.env, runtime: input.runtime };
  return (tool) => {
    const unavailable = tool.unavailable?.(env);
    if (unavailable) return `unavailable: ${unavailable}`;
    if (deny(tool.name)) return 'denied by tools.deny';
    if (agentDeny(tool.name)) return `denied by the agent's tools.deny`;
    if (TOOL_PROFILES.indexOf(tool.profile) > rank && !allow(tool.name))
      return `not in tools.profile "${profile}"`;
    if (trust === 'owner') return undefined;
    if (tool.neverGuest) return neverGuestReason(tool);
    if (guestDeny(tool.name)) return 'denied by tools.guests.deny';
    if (!tool.guestSafe && !guestAllow(tool.name)) return 'owner sessions only';
    return undefined;
  };
}

const neverGuestReason = (tool: AgentTool) => `never offered to guests: ${tool.neverGuest}`;

/** A test for names against `read`, `files__*` (an MCP server's tools), `*` (case-insensitive). */
function matcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const exact = new Set(patterns.filter((p) => !p.includes('*')).map((p) => p.toLowerCase()));
  const globs = patterns
    .filter((p) => p.includes('*'))
    .map((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 'i'));
  return (name) => exact.has(name.toLowerCase()) || globs.some((glob) => glob.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
