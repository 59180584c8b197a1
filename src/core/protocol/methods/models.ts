import { agentEntries, modelChain } from '../../agent/agents-config';
import { listModels } from '../../providers/catalog';
import { resolveSecret } from '../../secrets';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { ModelsList } from '../payloads/setup';

/** `models.list`: the models each agent tries (primary, fallbacks), whether each has a key, and what is cooling down. */
export const modelsList = defineMethod(
  z.object({}).optional(),
  async (_params, { ctx }): Promise<ModelsList> => {
    const config = ctx.config();
    const chains = agentEntries(config).map((entry) => ({
      agentId: entry.id,
      refs: modelChain(config, entry),
    }));
    const status = ctx.models.status?.();
    return {
      ...(await listModels({
        config,
        env: ctx.env,
        chains,
        status,
        stored: (name) => resolveSecret(ctx, name),
      })),
      ...(status ?? { cooldowns: [], recentFailovers: [] }),
    };
  },
);
