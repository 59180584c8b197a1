import { useEffect, useRef, useState } from 'preact/hooks';
import type { PairingList, PairingRequested } from '../../core/protocol/payloads/pairing';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { type LiveListSpec, useLiveList } from '../lib/use-live-list';
import { ErrorNote } from './notices';
import { describeSender, PAIRING_REFRESH_MS, PairingDecision } from './pairing-decision';

const keyOf = (r: { channel: string; code: string }) => `${r.channel}:${r.code}`;

function isRequested(value: unknown): value is PairingRequested {
  const v = value as Partial<PairingRequested> | null;
  return typeof v?.channel === 'string' && typeof v.code === 'string' && typeof v.senderId === 'string';
}

const PENDING: LiveListSpec<PairingRequested> = {
  method: 'pairing.list',
  itemsOf: (answer) => (answer as PairingList).pending ?? [],
  added: 'pairing.requested',
  removed: 'pairing.resolved',
  isItem: isRequested,
  keyOf: (value) => (isRequested(value) ? keyOf(value) : undefined),
  refreshMs: PAIRING_REFRESH_MS,
};

/**
 * Pending pairing codes as a badge in the top bar, on every view: one click opens the list, one
 * more approves or denies. Live from `pairing.requested` / `pairing.resolved`, refetched on reconnect.
 */
export function PairingBadge() {
  const { client } = useApp();
  const { items: pending, available: canList, remove } = useLiveList(PENDING);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);

  // Opening moves focus into the list, so a keyboard user lands on the first Approve.
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('button')?.focus();
  }, [open]);
  useEffect(() => {
    if (pending.length === 0) setOpen(false);
  }, [pending.length]);
  useEffect(() => {
    const close = () => setOpen(false);
    window.addEventListener('hashchange', close);
    return () => window.removeEventListener('hashchange', close);
  }, []);

  if (!canList) return null;

  const decide = (request: PairingRequested, approve: boolean) =>
    run(keyOf(request), async () => {
      await client.request(approve ? 'pairing.approve' : 'pairing.deny', {
        channel: request.channel,
        code: request.code,
      });
      remove(request);
      setDone(`${approve ? 'Approved' : 'Denied'} ${describeSender(request)} on ${request.channel}.`);
      toggle.current?.focus();
    });

  const count = pending.length;
  return (
    <div class="pairing-badge">
      <span class="sr-only" role="status">
        {done}
      </span>
      {count > 0 && (
        <button
          ref={toggle}
          type="button"
          class="pairing-toggle"
          aria-expanded={open}
          aria-controls="pairing-popover"
          aria-label={`${count} pairing request${count === 1 ? '' : 's'} waiting`}
          onClick={() => setOpen(!open)}
        >
          Pairing <span class="count">{count}</span>
        </button>
      )}
      {open && count > 0 && (
        <section
          id="pairing-popover"
          ref={panel}
          class="popover"
          aria-label="Pairing requests"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            setOpen(false);
            toggle.current?.focus();
          }}
        >
          <ErrorNote error={error} />
          <ul class="plain">
            {pending.map((request) => (
              <li key={keyOf(request)} data-code={request.code}>
                <div>
                  <code class="code">{request.code}</code> <span class="badge">{request.channel}</span>
                </div>
                <div class="muted small">{describeSender(request)}</div>
                <PairingDecision
                  code={request.code}
                  busy={busy === keyOf(request)}
                  onDecide={(approve) => void decide(request, approve)}
                />
              </li>
            ))}
          </ul>
          <a href="#pairing">All pairing requests</a>
        </section>
      )}
    </div>
  );
}
