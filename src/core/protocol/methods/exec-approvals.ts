import * as z from '../../zod';
import { defineMethod } from '../method';

/** Exec commands waiting for the owner (each was announced by `exec.approval.requested`). */
export const execApprovalList = defineMethod(z.object({}).optional(), (_params, { ctx }) => ({
  approvals: ctx.agents.approvals.list(),
}));

/** Decides one: `allow-once`, `allow-always` (adds the program to `tools.exec.allow`) or `deny`. */
export const execApprovalResolve = defineMethod(
  z.object({ id: z.string().min(1).max(64), decision: z.enum(['allow-once', 'allow-always', 'deny']) }),
  async ({ id, decision }, { ctx }) => {
    const approval = await ctx.agents.approvals.resolve(id, decision);
    return {
      id,
      decision,
      command: approval.command,
      ...(approval.program ? { program: approval.program } : {}),
    };
  },
);
