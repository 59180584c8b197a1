import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelLoginState } from '../../core/channels/login';
import type { LinkEntry } from '../../core/protocol/payloads/setup';
import { useApp } from '../lib/app-context';
import type { RequestError } from '../lib/client';
import { ErrorNote } from './notices';
import { QrCode } from './qr-code';

function isLoginState(value: unknown, channel: string): value is ChannelLoginState {
  const v = value as Partial<ChannelLoginState> | null;
  return v?.channel === channel && typeof v.state === 'string';
}

/**
 * "Link <Channel>": starts `channels.login` and shows the QR code the gateway relays, redrawn as
 * it rotates, and the state (waiting, linked, failed) live from `channel.login` events. Its label
 * and steps are the channel's `qrLink`, as `channels.catalog` lists it.
 */
export function ChannelLink({ link, onLinked }: { link: LinkEntry; onLinked(): void }) {
  const { id: channel, label, steps } = link;
  const { client } = useApp();
  const [state, setState] = useState<ChannelLoginState>();
  const [error, setError] = useState<RequestError>();
  const [attempt, setAttempt] = useState(0);
  const linked = useRef(onLinked);
  linked.current = onLinked;

  // A linking starts on open and on "Try again" (`attempt`); the gateway answers a repeat with the one running.
  useEffect(() => {
    let current = true;
    if (attempt > 0) setState(undefined);
    const off = client.subscribe((event, payload) => {
      if (event !== 'channel.login' || !isLoginState(payload, channel)) return;
      setState(payload);
      if (payload.state === 'linked') linked.current();
    });
    setError(undefined);
    client.request<ChannelLoginState>('channels.login', { channel }).then(
      (answer) => current && setState((seen) => (seen?.qr && !answer.qr ? seen : answer)),
      (err: RequestError) => current && setError(err),
    );
    return () => {
      current = false;
      off();
    };
  }, [client, channel, attempt]);

  return (
    <section class="card setup-form link-panel" aria-label={`Link ${label}`} data-link={channel}>
      <h3>Link {label}</h3>
      <ErrorNote error={error} />
      {state?.state === 'waiting' && (
        <>
          <p role="status" class="muted">
            {state.qr ? 'Waiting for the scan…' : `Connecting to ${label}…`}
          </p>
          {state.qr && (
            <>
              <QrCode text={state.qr} label={`QR code to link ${label}`} />
              <p class="help">{steps}</p>
            </>
          )}
        </>
      )}
      {state?.state === 'linked' && (
        <p role="status" class="ok">
          Linked{state.account ? ` as ${state.account}` : ''}. The channel is enabled and connecting.
        </p>
      )}
      {state?.state === 'failed' && (
        <>
          <p role="alert" class="error">
            Linking failed: {state.error}
          </p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      )}
    </section>
  );
}
