import { useEffect, useState } from 'preact/hooks';
import type { ApprovalDecision, PendingApproval } from '../../core/agent/exec/approvals';
import { useApp } from '../lib/app-context';
import { formatTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { ErrorNote } from './notices';

function isApproval(value: unknown): value is PendingApproval {
  const v = value as Partial<PendingApproval> | null;
  return typeof v?.id === 'string' && typeof v.command === 'string';
}

/**
 * Commands an agent wants to run, with the owner's three answers. Shown above every view (the
 * owner need not be in Chat to be asked) and kept live from the approval events.
 */
export function ExecApprovals() {
  const { client, generation } = useApp();
  const [pending, setPending] = useState<PendingApproval[]>([]);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!client.has('exec.approval.list')) return;
    let current = true;
    client.request<{ approvals?: unknown[] }>('exec.approval.list', {}).then(
      (answer) => current && setPending((answer.approvals ?? []).filter(isApproval)),
      () => {},
    );
    const off = client.subscribe((event, payload) => {
      if (event === 'exec.approval.requested' && isApproval(payload))
        setPending((list) => [...list.filter((a) => a.id !== payload.id), payload]);
      if (event === 'exec.approval.resolved') {
        const id = (payload as { id?: unknown } | null)?.id;
        setPending((list) => list.filter((a) => a.id !== id));
      }
    });
    return () => {
      current = false;
      off();
    };
  }, [client, generation]);

  if (pending.length === 0) return null;

  const decide = (approval: PendingApproval, decision: ApprovalDecision) =>
    run(approval.id, async () => {
      await client.request('exec.approval.resolve', { id: approval.id, decision });
      setPending((list) => list.filter((a) => a.id !== approval.id));
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
                    : 'A command with shell operators is allowed once only'
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
