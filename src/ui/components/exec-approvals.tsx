import type { ApprovalDecision, PendingApproval } from '../../core/agent/exec/approvals';
import { useApp } from '../lib/app-context';
import { formatTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { type LiveListSpec, useLiveList } from '../lib/use-live-list';
import { ErrorNote } from './notices';

function isApproval(value: unknown): value is PendingApproval {
  const v = value as Partial<PendingApproval> | null;
  return typeof v?.id === 'string' && typeof v.command === 'string';
}

const PENDING: LiveListSpec<PendingApproval> = {
  method: 'exec.approval.list',
  params: {},
  itemsOf: (answer) => ((answer as { approvals?: unknown[] }).approvals ?? []).filter(isApproval),
  added: 'exec.approval.requested',
  removed: 'exec.approval.resolved',
  isItem: isApproval,
  // `exec.approval.resolved` carries the id only.
  keyOf: (value) => {
    const id = (value as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  },
};

/**
 * Commands an agent wants to run, with the owner's three answers. Shown above every view (the
 * owner need not be in Chat to be asked) and kept live from the approval events.
 */
export function ExecApprovals() {
  const { client } = useApp();
  const { items: pending, remove } = useLiveList(PENDING);
  const { busy, error, run } = useAction();

  if (pending.length === 0) return null;

  const decide = (approval: PendingApproval, decision: ApprovalDecision) =>
    run(approval.id, async () => {
      await client.request('exec.approval.resolve', { id: approval.id, decision });
      remove(approval);
    });

  return (
    <section class="approvals" aria-label="Commands waiting for approval" aria-live="polite">
      <h2>
        {pending.length === 1 ? 'A command is' : `${pending.length} commands are`} waiting for your approval
      </h2>
      <ErrorNote error={error} />
      <ul class="approval-list">
        {pending.map((approval) => (
          <li key={approval.id} class="approval" data-approval-id={approval.id}>
            <pre class="command">
              <code>{approval.command}</code>
            </pre>
            <p class="muted">
              Agent <strong>{approval.agentId}</strong> · {approval.sessionKey} · in{' '}
              <code>{approval.cwd}</code> · denied if unanswered by {formatTime(approval.expiresAt)} · id{' '}
              <code>{approval.id}</code>
            </p>
            <div class="row">
              <button
                type="button"
                class="primary"
                disabled={busy === approval.id}
                onClick={() => void decide(approval, 'allow-once')}
              >
                Allow once
              </button>
              <button
                type="button"
                disabled={busy === approval.id}
                title={
                  approval.program
                    ? `Adds ${approval.program} to tools.exec.allow: it runs without asking from now on`
                    : 'A command with shell operators, or a file of the workspace, is allowed once only'
                }
                onClick={() => void decide(approval, 'allow-always')}
              >
                {approval.program ? `Always allow ${approval.program}` : 'Allow always'}
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy === approval.id}
                onClick={() => void decide(approval, 'deny')}
              >
                Deny
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
