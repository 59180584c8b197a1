import { isGatewayError } from '../../errors';
import type { CommandInput } from '../commands';
import { APPROVAL_DECISIONS, type ApprovalDecision } from './approvals';
import { plainProgram } from './command-line';

const USAGE = 'Usage: /approve <id> allow-once|allow-always|deny';

/** `/approve <id> allow-once|allow-always|deny` from a chat: the owner's answer to an exec approval. */
export async function approveCommand({ args, trust, approvals }: CommandInput): Promise<string> {
  if (trust !== 'owner') return 'Only the owner can approve commands.';
  const [id, decision, ...rest] = args.split(/\s+/).filter(Boolean);
  if (!id || !decision || rest.length > 0 || !APPROVAL_DECISIONS.includes(decision as ApprovalDecision))
    return USAGE;
  try {
    const approval = await approvals.resolve(id, decision as ApprovalDecision);
    if (decision === 'deny') return `Denied: ${approval.command}`;
    if (decision === 'allow-always')
      return approval.program
        ? `Allowed, and ${approval.program} runs without asking from now on (tools.exec.allow).`
        : plainProgram(approval.command)
          ? `Allowed once: ${plainProgram(approval.command)} is a file in the workspace, which the agent can rewrite, so it cannot be allowed always.`
          : 'Allowed once: a command with shell operators cannot be allowed always.';
    return 'Allowed once.';
  } catch (error) {
    if (isGatewayError(error)) return error.message;
    throw error;
  }
}
