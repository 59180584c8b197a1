import { useEffect, useState } from 'preact/hooks';
import type { GatewayStatus } from '../../core/protocol/payloads/gateway';
import { useApp } from '../lib/app-context';
import { formatDuration } from '../lib/format';

/** Connection state (with reconnect countdown), gateway version and uptime, always visible. */
export function StatusBar() {
  const { client, status, generation } = useApp();
  const [startedAt, setStartedAt] = useState<number>();
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (status.state !== 'connected') return;
    client.request<GatewayStatus>('status').then(
      (s) => setStartedAt(Date.now() - s.uptimeMs),
      () => {},
    );
  }, [client, generation, status.state === 'connected']);

  const label =
    status.state === 'connected'
      ? 'Connected'
      : status.state === 'reconnecting'
        ? `Reconnecting${status.retryAt && status.retryAt > now ? ` in ${Math.ceil((status.retryAt - now) / 1000)} s` : '…'} (attempt ${status.attempt})`
        : status.state === 'connecting'
          ? 'Connecting…'
          : 'Disconnected';
  const version = status.hello?.server.version;
  return (
    <footer class="status-bar">
      <span
        class={`conn conn-${status.state}`}
        role="status"
        aria-live="polite"
        data-testid="connection-state"
      >
        <span class="dot" aria-hidden="true" />
        {label}
      </span>
      {status.state === 'reconnecting' && (
        <button type="button" class="link" onClick={() => client.reconnectNow()}>
          Retry now
        </button>
      )}
      <span class="spacer" />
      {version && <span data-testid="gateway-version">v{version}</span>}
      {startedAt !== undefined && (
        <span data-testid="gateway-uptime">up {formatDuration(now - startedAt)}</span>
      )}
    </footer>
  );
}
