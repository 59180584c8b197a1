import type { GatewayContext } from '../../context';
import type { ToolContext } from '../tools/types';
import type { ApprovalOutcome } from './approvals';

/**
 * Asks the owner whether a command may run: every control connection hears
 * `exec.approval.requested`, and when the turn came from a chat, the chat gets a message that
 * `/approve <id> …` answers. Resolves with the decision, `expired` or `aborted`.
 */
export function askOwner(
  toolCtx: Pick<ToolContext, 'agentId' | 'sessionKey' | 'origin' | 'signal'> & {
    ctx: Pick<GatewayContext, 'agents' | 'channels' | 'waitUntil' | 'log'>;
  },
  request: { command: string; cwd: string; timeoutMs: number; program?: string },
): Promise<ApprovalOutcome> {
  const { ctx, agentId, sessionKey, origin, signal } = toolCtx;
  const { approval, outcome } = ctx.agents.approvals.request({
    ...request,
    agentId,
    sessionKey,
    ...(origin ? { origin } : {}),
    ...(signal ? { signal } : {}),
  });
  const adapter = origin && ctx.channels.get(origin.channel);
  if (origin && adapter) {
    const minutes = Math.max(1, Math.round(request.timeoutMs / 60_000));
    const text =
      `Approve this command? ${approval.id}\n\n${request.command.slice(0, 1500)}\n\n` +
      `Answer /approve ${approval.id} allow-once (or allow-always, or deny) within ${minutes} min; no answer is a deny.`;
    ctx.waitUntil(
      adapter
        .send(origin, text)
        .catch((error) =>
          ctx.log.scope('exec').warn(`could not ask in ${origin.channel}: ${(error as Error).message}`),
        ),
    );
  }
  return outcome;
}
