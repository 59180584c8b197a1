import { useEffect, useRef, useState } from 'preact/hooks';
import { type ClientStatus, GatewayClient, type Hello, RequestError } from '../lib/client';
import { type SavedToken, saveToken } from '../lib/token-store';

export interface LoginProps {
  /** Why the owner is here again (logged out, token refused). */
  notice?: string;
  onConnected(client: GatewayClient, hello: Hello): void;
  clientVersion: string;
}

/** The gateway's refusal, in words the owner can act on. */
export function describeLoginError(error: RequestError): string {
  if (error.code === 'UNAUTHORIZED') {
    return 'Wrong gateway token. Print the right one with `krabkrab token` on the gateway host (or use the krabkrab_GATEWAY_TOKEN secret) and try again.';
  }
  if (error.code === 'RATE_LIMITED') {
    const wait = error.retryAfterMs ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
    return `Too many failed attempts: the gateway refuses logins from this address for now (${error.message}).${wait}`;
  }
  return `The gateway refused the connection: ${error.message}`;
}

/** Token login: a password field, sent only inside the WebSocket `connect` frame. */
export function Login({ notice, onConnected, clientVersion }: LoginProps) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState<ClientStatus>();
  const pending = useRef<GatewayClient | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    return () => pending.current?.close();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Paste the gateway token first.');
      input.current?.focus();
      return;
    }
    setError(undefined);
    const client = new GatewayClient(value, { clientVersion });
    pending.current = client;
    const unwatch = client.onStatus(setProgress);
    try {
      const hello = await client.connect();
      unwatch();
      pending.current = undefined;
      const saved: SavedToken = { token: value, remember };
      saveToken(saved);
      onConnected(client, hello);
    } catch (err) {
      unwatch();
      pending.current = undefined;
      setProgress(undefined);
      setError(err instanceof RequestError ? describeLoginError(err) : String(err));
      input.current?.select();
    }
  }

  function cancel() {
    pending.current?.close();
    pending.current = undefined;
    setProgress(undefined);
  }

  const busy = progress !== undefined && progress.state !== 'closed';
  const retrying = progress?.state === 'reconnecting';
  return (
    <main class="login" id="main">
      <form class="card login-card" method="post" onSubmit={submit} aria-describedby="login-help">
        <h1>
          <img src="/ui/icon.svg" alt="" width={28} height={28} /> KrabKrab Control
        </h1>
        {notice && !error && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label for="token">Gateway token</label>
        <input
          ref={input}
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          spellcheck={false}
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : 'login-help'}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember((e.target as HTMLInputElement).checked)}
          />
          Remember on this device
        </label>
        <p id="login-help" class="help">
          Paste the token from <code>krabkrab token</code> or the <code>krabkrab_GATEWAY_TOKEN</code> secret.
          It is kept for this tab only unless you tick "remember".
        </p>
        {error && (
          <p id="login-error" class="error" role="alert">
            {error}
          </p>
        )}
        {retrying && (
          <p class="notice" role="status">
            Cannot reach the gateway; retrying
            {progress?.retryAt
              ? ` in ${Math.max(1, Math.ceil((progress.retryAt - Date.now()) / 1000))} s`
              : ''}
            …
          </p>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
          {busy && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
