import { useEffect } from 'preact/hooks';
import type { SetupStatus } from '../../core/protocol/payloads/setup';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import { useRequest } from '../lib/use-request';

/** MCP servers: each one's transport, state, tools and last error (the `mcp` section of `status`), live on `mcp.status`. */
export function McpView() {
  const { client } = useApp();
  const status = useRequest<SetupStatus>('status');
  useEffect(
    () => client.subscribe((event) => event === 'mcp.status' && status.reload()),
    [client, status.reload],
  );

  if (!status.available) return <Unavailable title="MCP servers" what="MCP servers" methods={['status']} />;
  const servers = status.data?.mcp?.servers ?? [];
  return (
    <section>
      <ViewHeader title="MCP servers">
        <button type="button" onClick={status.reload}>
          Refresh
        </button>
      </ViewHeader>
      {status.error ? <ErrorNote error={status.error} /> : null}
      {servers.length === 0 && !status.loading ? (
        <p class="muted">No MCP servers configured (mcp.servers in krabkrab.json).</p>
      ) : null}
      <ul class="plain-list" data-testid="mcp-servers">
        {servers.map((server) => (
          <li key={server.name} class="card">
            <strong>{server.name}</strong> <span class="muted">{server.transport}</span>{' '}
            <span data-state={server.state}>{server.state}</span>
            <span class="muted">
              {' '}
              · {server.tools.length} tool(s) · {server.restarts} restart(s)
            </span>
            {server.lastError ? <p class="error">Last error: {server.lastError}</p> : null}
            {server.tools.length ? (
              <p class="small">{server.tools.map((tool) => `${server.name}__${tool}`).join(', ')}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
