import * as z from '../../zod';
import { defineMethod } from '../method';
import type { AgentsList } from '../payloads/sessions';

export const agentsList = defineMethod(z.object({}).optional(), (_params, { ctx }): AgentsList => {
  const agents = ctx.agents.listAgents();
  return { agents, defaultAgent: agents.find((agent) => agent.default)?.id };
});
