import type { GatewayContext } from '../../context';
import type { ToolContext } from '../tools/types';
import type { ApprovalOutcome } from './approvals';

/**
 * Asks the owner whether a command may run: every control connection hears
 * `exec.approval.requested`, and when the turn names a chat the owner answers in
 * (`approvalChat`), that chat gets a message that `/approve <id> …` answers. A turn that only
 * delivers elsewhere (a cron job posting to a group) is not asked there: the group's members
 * would read the command, and `/approve` from a group is refused anyway.
 * Resolves with the decision, `expired` or `aborted`.
 */
export function askOwner(
  toolCtx: Pick<ToolContext, 'agentId' | 'sessionKey' | 'origin' | 'approvalChat' | 'signal'> & {
    ctx: Pick<GatewayContext, 'agents' | 'channels' | 'waitUntil' | 'log'>;
  },
  request: { command: string; cwd: string; timeoutMs: number; program?: string },
): Promise<ApprovalOutcome> {
  const { ctx, agentId, sessionKey, origin, approvalChat, signal } = toolCtx;
  const log = ctx.log.scope('exec');
  const { approval, outcome } = ctx.agents.approvals.request({
    ...request,
    agentId,
    sessionKey,
    ...(signal ? { signal } : {}),
  });
  const adapter = approvalChat && ctx.channels.get(approvalChat.channel);
  if (approvalChat && adapter) {
    const minutes = Math.max(1, Math.round(request.timeoutMs / 60_000));
    const text =
      `Approve this command? ${approval.id}\n\n${request.command.slice(0, 1500)}\n\n` +
      `Answer /approve ${approval.id} allow-once (or allow-always, or deny) within ${minutes} min; no answer is a deny.`;
    ctx.waitUntil(
      adapter
        .send(approvalChat, text)
        .catch((error) => log.warn(`could not ask in ${approvalChat.channel}: ${(error as Error).message}`)),
    );
  } else if (origin && !approvalChat) {
    log.info(
      `approval ${approval.id}: not asked in ${origin.channel} chat ${origin.chatId}, which is not an owner's direct chat; answer it in the Control UI`,
    );
  }
  return outcome;
}
