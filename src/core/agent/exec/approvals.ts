import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { allowProgram } from './allowlist';

export type ApprovalDecision = 'allow-once' | 'allow-always' | 'deny';
export const APPROVAL_DECISIONS: readonly ApprovalDecision[] = ['allow-once', 'allow-always', 'deny'];

/** An exec command waiting for the owner: the payload of `exec.approval.requested`. */
export interface PendingApproval {
  id: string;
  agentId: string;
  sessionKey: string;
  command: string;
  cwd: string;
  /** Epoch ms; no answer by then is a deny. */
  expiresAt: number;
  /**
   * What `allow-always` adds to `tools.exec.allow`; absent when the command has shell operators or
   * runs a file of the workspace (`./build.sh`): that answer allows it once.
   */
  program?: string;
}

/** How a request ended: the owner's decision, or no answer in time, or the run gone. */
export type ApprovalOutcome = ApprovalDecision | 'expired' | 'aborted';

export interface ApprovalRequest {
  agentId: string;
  sessionKey: string;
  command: string;
  cwd: string;
  program?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Exec approvals pending in this gateway (`ctx.agents.approvals`). */
export interface ExecApprovals {
  /** Announces the request and waits for its outcome. */
  request(request: ApprovalRequest): { approval: PendingApproval; outcome: Promise<ApprovalOutcome> };
  /** Decides a pending request; unknown, expired or decided ids are a clear error. */
  resolve(id: string, decision: ApprovalDecision): Promise<PendingApproval>;
  list(): PendingApproval[];
}

/** Ids of requests that ended, so a late answer hears why instead of "unknown". Bounded. */
const ENDED_KEPT = 200;

export function createExecApprovals(
  ctx: Pick<GatewayContext, 'configStore' | 'log' | 'clock' | 'events'>,
): ExecApprovals {
  const log = ctx.log.scope('exec');
  const pending = new Map<string, { approval: PendingApproval; settle(outcome: ApprovalOutcome): void }>();
  const ended = new Map<string, ApprovalOutcome>();

  function newId(): string {
    // Short enough to type in `/approve <id> allow-once`; 32 bits, checked against the pending ones.
    for (;;) {
      const id = crypto.randomUUID().slice(0, 8);
      if (!pending.has(id) && !ended.has(id)) return id;
    }
  }

  return {
    request(request) {
      const id = newId();
      const approval: PendingApproval = {
        id,
        agentId: request.agentId,
        sessionKey: request.sessionKey,
        command: request.command,
        cwd: request.cwd,
        expiresAt: ctx.clock.now() + request.timeoutMs,
        ...(request.program ? { program: request.program } : {}),
      };
      const outcome = new Promise<ApprovalOutcome>((resolve) => {
        const cancelTimer = ctx.clock.setTimer(() => settle('expired'), request.timeoutMs);
        const onAbort = () => settle('aborted');
        request.signal?.addEventListener('abort', onAbort, { once: true });
        function settle(result: ApprovalOutcome) {
          if (!pending.has(id)) return;
          pending.delete(id);
          cancelTimer();
          request.signal?.removeEventListener('abort', onAbort);
          ended.set(id, result);
          if (ended.size > ENDED_KEPT) ended.delete(ended.keys().next().value!);
          ctx.events.emit('exec.approval.resolved', { id, decision: result });
          log.info(`approval ${id} for ${JSON.stringify(request.command.slice(0, 200))}: ${result}`);
          resolve(result);
        }
        pending.set(id, { approval, settle });
        if (request.signal?.aborted) settle('aborted');
      });
      if (pending.has(id)) {
        ctx.events.emit('exec.approval.requested', approval);
        log.info(
          `approval ${id} requested in ${request.sessionKey}: ${JSON.stringify(request.command.slice(0, 200))}`,
        );
      }
      return { approval, outcome };
    },
    async resolve(id, decision) {
      const entry = pending.get(id);
      if (!entry) {
        const past = ended.get(id);
        throw new GatewayError(
          'NOT_FOUND',
          past === undefined
            ? `no pending exec approval ${JSON.stringify(id)}; see exec.approval.list`
            : past === 'expired'
              ? `exec approval ${id} expired without an answer (the command was denied)`
              : `exec approval ${id} was already decided (${past})`,
        );
      }
      const { approval } = entry;
      if (decision === 'allow-always' && approval.program) await allowProgram(ctx, approval.program);
      entry.settle(decision);
      return approval;
    },
    list: () => [...pending.values()].map((entry) => entry.approval),
  };
}
