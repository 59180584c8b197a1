import { buildStatus } from '../../status';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { LogsTail } from '../payloads/gateway';

const noParams = z.object({}).optional();

export const health = defineMethod(noParams, (_params, { ctx }) => ({
  ok: true,
  phase: ctx.runtime.phase(),
}));

export const status = defineMethod(noParams, (_params, { ctx }) => buildStatus(ctx));

export const logsTail = defineMethod(
  z.object({ limit: z.number().int().min(1).max(500).optional() }).optional(),
  (params, { ctx }): LogsTail => ({
    records: ctx.logs.recent(params?.limit ?? 200),
  }),
);
