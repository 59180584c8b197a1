import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { SessionsHistory, SessionsList } from '../payloads/sessions';

const sessionKey = z.string().min(1).max(512);

export const sessionsList = defineMethod(
  z
    .object({
      agentId: z.string().max(64).optional(),
      channel: z.string().max(64).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
  async (params, { ctx }): Promise<SessionsList> => ({
    sessions: await ctx.agents.sessions.list(params ?? {}),
  }),
);

export const sessionsHistory = defineMethod(
  z.object({ sessionKey, limit: z.number().int().min(1).max(1000).optional() }),
  async ({ sessionKey, limit }, { ctx }): Promise<SessionsHistory> => {
    const record = await ctx.agents.sessions.get(sessionKey);
    if (!record) throw new GatewayError('NOT_FOUND', `no session ${sessionKey}`);
    return {
      sessionKey,
      turns: record.turns,
      messages: record.messages.slice(-(limit ?? 200)),
      compactions: record.compactions ?? [],
    };
  },
);

export const sessionsReset = defineMethod(z.object({ sessionKey }), async ({ sessionKey }, { ctx }) => ({
  sessionKey,
  reset: await ctx.agents.sessions.reset(sessionKey),
}));
