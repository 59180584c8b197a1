import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogsTail } from '../core/protocol/payloads/gateway';
import { ExecApprovals } from './components/exec-approvals';
import { PairingBadge } from './components/pairing-badge';
import { StatusBar } from './components/status-bar';
import { AppContext, type AppState } from './lib/app-context';
import { type ClientStatus, GatewayClient } from './lib/client';
import { isLogLine, LogBuffer } from './lib/log-buffer';
import { forgetToken, loadToken } from './lib/token-store';
import { ChannelsView } from './views/channels';
import { ChatView } from './views/chat';
import { ConfigView } from './views/config';
import { CronView } from './views/cron';
import { describeLoginError, Login } from './views/login';
import { LogsView } from './views/logs';
import { McpView } from './views/mcp';
import { ModelsView } from './views/models';
import { PairingView } from './views/pairing';
import { SessionsView } from './views/sessions';
import { UsageView } from './views/usage';

export const UI_VERSION = '1';

/** The views, in menu order. The URL fragment names the view and nothing else. */
const VIEWS = [
  { id: 'chat', label: 'Chat', component: ChatView },
  { id: 'sessions', label: 'Sessions', component: SessionsView },
  { id: 'channels', label: 'Channels', component: ChannelsView },
  { id: 'models', label: 'Models', component: ModelsView },
  { id: 'usage', label: 'Usage', component: UsageView },
  { id: 'mcp', label: 'MCP', component: McpView },
  { id: 'pairing', label: 'Pairing', component: PairingView },
  { id: 'config', label: 'Config', component: ConfigView },
  { id: 'cron', label: 'Cron', component: CronView },
  { id: 'logs', label: 'Logs', component: LogsView },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

function viewFromHash(): ViewId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'chat';
}

export function App() {
  // A token saved earlier (this tab, or remembered on this device) connects without asking.
  const [client, setClient] = useState<GatewayClient | undefined>(() => {
    const saved = loadToken();
    if (!saved) return undefined;
    const restored = new GatewayClient(saved.token, { clientVersion: UI_VERSION });
    restored.connect().catch(() => {});
    return restored;
  });
  const [notice, setNotice] = useState<string>();

  if (!client) {
    return (
      <Login
        notice={notice}
        clientVersion={UI_VERSION}
        onConnected={(c) => {
          setNotice(undefined);
          setClient(c);
        }}
      />
    );
  }
  return (
    <Shell
      client={client}
      onLogout={(message) => {
        client.close();
        forgetToken();
        setNotice(message);
        setClient(undefined);
      }}
    />
  );
}

function Shell({ client, onLogout }: { client: GatewayClient; onLogout(message: string): void }) {
  const firstStatus = useRef(client.status);
  const [status, setStatus] = useState<ClientStatus>(firstStatus.current);
  const [generation, setGeneration] = useState(client.status.state === 'connected' ? 1 : 0);
  const [view, setView] = useState<ViewId>(viewFromHash);
  const logs = useMemo(() => new LogBuffer(), []);
  const mainRef = useRef<HTMLElement>(null);
  const navigated = useRef(false);
  const logout = useRef(onLogout);
  logout.current = onLogout;

  useEffect(() => {
    const fillLogs = () =>
      client.request<LogsTail>('logs.tail', { limit: 300 }).then(
        (tail) => logs.fill(tail.records),
        () => {},
      );
    const onStatus = (next: ClientStatus) => {
      setStatus(next);
      if (next.state === 'connected') {
        setGeneration((g) => g + 1);
        fillLogs();
      }
      if (next.state === 'closed' && next.error) {
        logout.current(`Signed out: ${describeLoginError(next.error)}`);
      }
    };
    const offStatus = client.onStatus(onStatus);
    const offEvents = client.subscribe((event, payload) => {
      if (event === 'log' && isLogLine(payload)) logs.push(payload);
    });
    // Effects run after paint: a status change between the first render and now was not heard
    // (a remembered token's connection can complete in that gap), so catch up on it here.
    if (client.status !== firstStatus.current || client.status.error) onStatus(client.status);
    else if (client.status.state === 'connected') fillLogs();
    return () => {
      offStatus();
      offEvents();
    };
  }, [client, logs]);

  useEffect(() => {
    const onHash = () => {
      navigated.current = true;
      setView(viewFromHash());
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Moving focus to the new view's title tells keyboard and screen-reader users where they are.
  useEffect(() => {
    if (!navigated.current) return;
    mainRef.current?.querySelector<HTMLElement>('[data-view-title]')?.focus();
  }, [view]);

  const state: AppState = { client, status, generation, logs };
  const Current = VIEWS.find((v) => v.id === view)!.component;
  return (
    <AppContext.Provider value={state}>
      <div class="shell">
        <header class="top">
          <span class="brand">
            <img src="/ui/icon.svg" alt="" width={24} height={24} />
            <span>KrabKrab</span>
          </span>
          <nav aria-label="Views">
            <ul>
              {VIEWS.map((v) => (
                <li key={v.id}>
                  <a href={`#${v.id}`} aria-current={v.id === view ? 'page' : undefined}>
                    {v.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <PairingBadge />
          <button
            type="button"
            class="logout"
            onClick={() => onLogout('Logged out. The token was forgotten on this device.')}
          >
            Log out
          </button>
        </header>
        <main id="main" ref={mainRef} class={`view view-${view}`}>
          <ExecApprovals />
          <Current />
        </main>
        <StatusBar />
      </div>
    </AppContext.Provider>
  );
}
