import * as z from '../../zod';
import { defineMethod } from '../method';

export const agentsList = defineMethod(z.object({}).optional(), (_params, { ctx }) => {
  const agents = ctx.agents.listAgents();
  return { agents, defaultAgent: agents.find((agent) => agent.default)?.id };
});
