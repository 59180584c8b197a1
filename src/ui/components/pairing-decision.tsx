import { useApp } from '../lib/app-context';

/**
 * How often the pairing list is fetched again (the Pairing view and the badge): a code approved
 * with `krabkrab pairing approve` in another process sends no event here.
 */
export const PAIRING_REFRESH_MS = 15_000;

/** "Name (id)", or the id alone: how a pairing request's sender is shown everywhere. */
export function describeSender({
  senderName,
  senderId,
}: {
  senderName?: string | null;
  senderId: string;
}): string {
  return senderName ? `${senderName} (${senderId})` : senderId;
}

/** Approve (and Deny, where the gateway offers it) for one pairing code: the Pairing view and the badge show the same pair. */
export function PairingDecision({
  code,
  busy,
  onDecide,
}: {
  code: string;
  busy: boolean;
  onDecide: (approve: boolean) => void;
}) {
  const { client } = useApp();
  return (
    <div class="row">
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() => onDecide(true)}
        aria-label={`Approve ${code}`}
      >
        Approve
      </button>
      {client.has('pairing.deny') && (
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => onDecide(false)}
          aria-label={`Deny ${code}`}
        >
          Deny
        </button>
      )}
    </div>
  );
}
