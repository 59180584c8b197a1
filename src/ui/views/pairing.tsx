import { useEffect, useState } from 'preact/hooks';
import type { PairingList, PairingRequest } from '../../core/protocol/payloads/pairing';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { describeSender, PAIRING_REFRESH_MS, PairingDecision } from '../components/pairing-decision';
import { useApp } from '../lib/app-context';
import { formatTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useRequest } from '../lib/use-request';

/** Pending pairing codes from unknown senders: approve admits the sender, deny drops the code. */
export function PairingView() {
  const { client } = useApp();
  const list = useRequest<PairingList>('pairing.list');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();

  // New codes appear without a click: refresh on pairing events and every few seconds.
  useEffect(() => {
    const timer = setInterval(() => list.reload(), PAIRING_REFRESH_MS);
    const off = client.subscribe((event) => event.startsWith('pairing') && list.reload());
    return () => {
      clearInterval(timer);
      off();
    };
  }, [client, list.reload]);

  if (!list.available) return <Unavailable title="Pairing" what="Pairing" methods={['pairing.list']} />;
  const pending = list.data?.pending ?? [];
  const approved = list.data?.approved ?? [];

  function decide(request: PairingRequest, approve: boolean) {
    const { channel, code } = request;
    const method = approve ? 'pairing.approve' : 'pairing.deny';
    setDone(undefined);
    return run(`${channel}:${code}`, async () => {
      await client.request(method, { channel, code });
      setDone(`${approve ? 'Approved' : 'Denied'} ${describeSender(request)} on ${channel}.`);
      list.reload();
    });
  }

  return (
    <section>
      <ViewHeader title="Pairing">
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </ViewHeader>
      <p class="help">
        When someone unknown writes to a channel with <code>dmPolicy: "pairing"</code>, they get a short code.
        Approve it here (or with <code>krabkrab pairing approve &lt;channel&gt; &lt;code&gt;</code>). Codes
        expire after an hour.
      </p>
      <ErrorNote error={error ?? list.error} />
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      {pending.length === 0 && !list.loading && <p class="muted">No pending pairing requests.</p>}
      <ul class="cards">
        {pending.map((request) => {
          const { channel, code } = request;
          const key = `${channel}:${code}`;
          return (
            <li key={key} class="card pairing" data-code={code}>
              <div class="card-head">
                <h3>
                  <code class="code">{code}</code>
                </h3>
                <span class="badge">{channel}</span>
              </div>
              <dl>
                <dt>From</dt>
                <dd>{describeSender(request)}</dd>
                <dt>Asked</dt>
                <dd>{formatTime(request.createdAt)}</dd>
                <dt>Expires</dt>
                <dd>{formatTime(request.expiresAt)}</dd>
              </dl>
              {client.has('pairing.approve') && (
                <PairingDecision
                  code={code}
                  busy={busy === key}
                  onDecide={(approve) => void decide(request, approve)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {approved.length > 0 && (
        <details class="approved">
          <summary>
            {approved.length} approved sender{approved.length === 1 ? '' : 's'}
          </summary>
          <ul class="plain">
            {approved.map((sender) => (
              <li key={`${sender.channel}:${sender.senderId}`}>
                {sender.channel}: {describeSender(sender)} · {formatTime(sender.approvedAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
