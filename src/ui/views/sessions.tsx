import { useState } from 'preact/hooks';
import type { SessionSummary, SessionsHistory, SessionsList } from '../../core/protocol/payloads/sessions';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { Transcript } from '../components/transcript';
import { useApp } from '../lib/app-context';
import { toChatItems } from '../lib/chat-model';
import type { RequestError } from '../lib/client';
import { formatTime } from '../lib/format';
import { useRequest } from '../lib/use-request';

/** Sessions by channel and peer: open a transcript, reset one (two clicks, no modal). */
export function SessionsView() {
  const { client } = useApp();
  const sessions = useRequest<SessionsList>('sessions.list');
  const [open, setOpen] = useState<string>();
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<RequestError>();
  const [done, setDone] = useState<string>();

  if (!sessions.available)
    return <Unavailable title="Sessions" what="Sessions" methods={['sessions.list']} />;
  const list = sessions.data?.sessions ?? [];
  const byChannel = new Map<string, SessionSummary[]>();
  for (const s of list) {
    const channel = s.channel || 'other';
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), s]);
  }

  async function reset(key: string) {
    setConfirming(undefined);
    setError(undefined);
    try {
      await client.request('sessions.reset', { sessionKey: key });
      setDone(`Reset ${key}.`);
      if (open === key) setOpen(undefined);
      sessions.reload();
    } catch (err) {
      setError(err as RequestError);
    }
  }

  return (
    <section>
      <ViewHeader title="Sessions">
        <button type="button" onClick={sessions.reload}>
          Refresh
        </button>
      </ViewHeader>
      <ErrorNote error={error ?? sessions.error} />
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      {list.length === 0 && !sessions.loading && <p class="muted">No sessions yet.</p>}
      {[...byChannel.entries()].map(([channel, items]) => (
        <div key={channel} class="group">
          <h3>{channel}</h3>
          <ul class="cards">
            {items.map((s) => {
              const key = s.sessionKey;
              return (
                <li key={key} class="card session">
                  <div class="card-head">
                    <h4>{s.peer || key}</h4>
                    <span class="badge">{s.agentId}</span>
                  </div>
                  <dl>
                    <dt>Key</dt>
                    <dd>
                      <code class="wrap">{key}</code>
                    </dd>
                    <dt>Turns</dt>
                    <dd>{s.turns}</dd>
                    <dt>Updated</dt>
                    <dd>{formatTime(s.updatedAt)}</dd>
                    {s.model && (
                      <>
                        <dt>Model</dt>
                        <dd>{s.model}</dd>
                      </>
                    )}
                  </dl>
                  <div class="row">
                    {client.has('sessions.history') && (
                      <button
                        type="button"
                        aria-expanded={open === key}
                        onClick={() => setOpen(open === key ? undefined : key)}
                      >
                        {open === key ? 'Hide history' : 'History'}
                      </button>
                    )}
                    {client.has('sessions.reset') &&
                      (confirming === key ? (
                        <>
                          <button type="button" class="danger" onClick={() => void reset(key)}>
                            Confirm reset
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button type="button" onClick={() => setConfirming(key)}>
                          Reset
                        </button>
                      ))}
                  </div>
                  {open === key && <History sessionKey={key} />}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}

function History({ sessionKey }: { sessionKey: string }) {
  const history = useRequest<SessionsHistory>('sessions.history', { sessionKey }, [sessionKey]);
  const items = toChatItems(history.data?.messages ?? []);
  return (
    <div class="sub">
      <ErrorNote error={history.error} />
      {items.length === 0 && !history.loading ? (
        <p class="muted">Empty transcript.</p>
      ) : (
        <Transcript items={items} follow={false} />
      )}
    </div>
  );
}
