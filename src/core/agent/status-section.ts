import type { GatewayContext } from '../context';
import { agentEntries } from './agents-config';
import type { ToolDecision } from './tools/policy';

/**
 * One agent's tools in `status`: offered to owner turns, to guest turns, why each other one is
 * off (owner view), and which the owner has that guests never get (exec, memory, files), with why.
 */
export interface AgentToolsView {
  id: string;
  owner: string[];
  guest: string[];
  off: Record<string, string>;
  guestNever?: Record<string, string>;
}

/**
 * The `agents` section of `status`: runs at once and waiting, what the inbound pipeline did since
 * start, and each agent's effective tools in owner and guest sessions (with why the others are off).
 */
export async function agentsStatusSection(
  ctx: Pick<GatewayContext, 'config' | 'agents' | 'pipeline'>,
): Promise<unknown> {
  const tools = await Promise.all(
    agentEntries(ctx.config()).map(async ({ id }): Promise<AgentToolsView> => {
      const owner = await ctx.agents.explainTools(id, 'owner');
      const guest = await ctx.agents.explainTools(id, 'guest');
      const never = guest.flatMap((tool) =>
        tool.neverGuest && tool.reason ? [[tool.name, tool.reason]] : [],
      );
      return {
        id,
        owner: offered(owner),
        guest: offered(guest),
        off: Object.fromEntries(owner.flatMap((tool) => (tool.reason ? [[tool.name, tool.reason]] : []))),
        ...(never.length ? { guestNever: Object.fromEntries(never) } : {}),
      };
    }),
  );
  return { ...ctx.agents.status(), pipeline: ctx.pipeline.stats(), tools };
}

const offered = (decisions: ToolDecision[]) =>
  decisions.filter((tool) => tool.reason === undefined).map((tool) => tool.name);
