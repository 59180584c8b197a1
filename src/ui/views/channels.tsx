import { useEffect, useState } from 'preact/hooks';
import type { ChannelStatus, ChannelsCatalog, SetupStatus } from '../../core/protocol/payloads/setup';
import { ChannelLink } from '../components/channel-link';
import { ChannelSetupForm } from '../components/channel-setup-form';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import { formatTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useRequest } from '../lib/use-request';

type ChannelConfigs = Record<string, { enabled?: boolean } | undefined>;

/** Channels: live status from `status` and `channel.status` events; enable/disable through `config.apply`. */
export function ChannelsView() {
  const { client } = useApp();
  const status = useRequest<SetupStatus>('status');
  const config = useRequest<{ config: { channels?: ChannelConfigs } }>('config.get');
  const [live, setLive] = useState<Record<string, ChannelStatus>>({});
  const { busy, error, run } = useAction();
  const catalog = useRequest<ChannelsCatalog>('channels.catalog');
  const [adding, setAdding] = useState<string>();
  const [linking, setLinking] = useState<string>();

  useEffect(
    () =>
      client.subscribe((event, payload) => {
        const s = payload as ChannelStatus;
        if (event === 'channel.status' && s && typeof s.id === 'string')
          setLive((prev) => ({ ...prev, [s.id]: s }));
      }),
    [client],
  );

  if (!status.available) return <Unavailable title="Channels" what="Channel status" methods={['status']} />;
  const statuses = { ...(status.data?.channels ?? {}), ...live };
  const configs = config.data?.config.channels ?? {};
  const ids = [...new Set([...Object.keys(configs), ...Object.keys(statuses)])].sort();
  const canToggle = client.has('config.get') && client.has('config.apply');
  const linkOpen = catalog.data?.linkable?.find((link) => link.id === linking);
  const formOpen = catalog.data?.channels?.find((entry) => entry.id === adding);
  // After a change (or on Refresh) both the config and the live status are read again.
  const reload = () => {
    config.reload();
    status.reload();
  };

  const setEnabled = (id: string, enabled: boolean) =>
    run(id, async () => {
      // Edit the freshest document so a concurrent change elsewhere is not overwritten.
      const current = await client.request<{ config: Record<string, unknown> }>('config.get');
      const doc = current.config;
      const channels = { ...((doc.channels as ChannelConfigs | undefined) ?? {}) };
      channels[id] = { ...(channels[id] ?? {}), enabled };
      await client.request('config.apply', { config: { ...doc, channels } });
      reload();
    });

  return (
    <section>
      <ViewHeader title="Channels">
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </ViewHeader>
      <ErrorNote error={error ?? status.error} />
      {ids.length === 0 && !status.loading && <p class="muted">No channels yet: add one below.</p>}
      {catalog.available && (
        <div class="setup-buttons">
          {(catalog.data?.channels ?? []).map((entry) => (
            <button
              key={entry.id}
              type="button"
              aria-expanded={adding === entry.id}
              onClick={() => setAdding(adding === entry.id ? undefined : entry.id)}
            >
              Add {entry.label}
            </button>
          ))}
          {client.has('channels.login') &&
            (catalog.data?.linkable ?? []).map((link) => (
              <button
                key={`link-${link.id}`}
                type="button"
                aria-expanded={linking === link.id}
                onClick={() => setLinking(linking === link.id ? undefined : link.id)}
              >
                Link {link.label}
              </button>
            ))}
        </div>
      )}
      {linkOpen && <ChannelLink key={linkOpen.id} link={linkOpen} onLinked={reload} />}
      {formOpen && <ChannelSetupForm key={formOpen.id} entry={formOpen} onDone={reload} />}
      <ul class="cards">
        {ids.map((id) => {
          const s = statuses[id];
          const enabled = configs[id] ? configs[id]?.enabled !== false : undefined;
          const state = s?.state ?? (enabled === false ? 'disabled' : 'not started');
          return (
            <li key={id} class="card channel" data-channel={id}>
              <div class="card-head">
                <h3>{id}</h3>
                <span class={`badge state-${state.replace(/\s/g, '-')}`}>{state}</span>
              </div>
              <dl>
                {s?.login && (
                  <>
                    <dt>Login</dt>
                    <dd>{s.login}</dd>
                  </>
                )}
                {s?.mode && (
                  <>
                    <dt>Mode</dt>
                    <dd>{s.mode}</dd>
                  </>
                )}
                {s?.since && (
                  <>
                    <dt>Since</dt>
                    <dd>{formatTime(s.since)}</dd>
                  </>
                )}
              </dl>
              {s?.error && <p class="error">{s.error}</p>}
              {canToggle && enabled !== undefined && (
                <button
                  type="button"
                  disabled={busy === id}
                  onClick={() => void setEnabled(id, !enabled)}
                  aria-label={`${enabled ? 'Disable' : 'Enable'} ${id}`}
                >
                  {busy === id ? 'Saving…' : enabled ? 'Disable' : 'Enable'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
