import { useState } from 'preact/hooks';
import type { ModelsList, SecretsList } from '../../core/protocol/payloads/setup';
import { ModelChoice } from '../components/model-choice';
import { ErrorNote, FormOutcome, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { useRequest } from '../lib/use-request';

/** Models: provider keys (added write-only, checked with one cheap call), the models in use, cooldowns, failovers. */
export function ModelsView() {
  const { client } = useApp();
  const secrets = useRequest<SecretsList>('secrets.list');
  const models = useRequest<ModelsList>('models.list');
  const [name, setName] = useState('ANTHROPIC_API_KEY');
  const [key, setKey] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();

  if (!client.has('secrets.set'))
    return <Unavailable title="Models" what="Adding provider keys" methods={['secrets.set']} />;
  const keys = (secrets.data?.secrets ?? []).filter((s) => s.name.endsWith('_API_KEY'));

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    setDone(undefined);
    await run('save', async () => {
      const res = await client.request<{ note?: string }>(
        'secrets.set',
        { name, value: key, check: true },
        30_000,
      );
      setKey('');
      setDone(`${name} accepted and stored.${res.note ? ` ${res.note}.` : ''}`);
      secrets.reload();
      models.reload();
    });
  }

  const listing = models.data;
  return (
    <section>
      <ViewHeader title="Models">
        <button
          type="button"
          onClick={() => {
            secrets.reload();
            models.reload();
          }}
        >
          Refresh
        </button>
      </ViewHeader>
      <form class="card setup-form" onSubmit={save} aria-label="Add a provider key">
        <h3>Add a provider key</h3>
        <div class="field">
          <label for="model-key-name">Provider</label>
          <select
            id="model-key-name"
            value={name}
            onChange={(e) => setName((e.target as HTMLSelectElement).value)}
          >
            {keys.map((s) => (
              <option key={s.name} value={s.name}>
                {s.what} ({s.name}){s.set ? ', set' : ''}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="model-key-value">API key</label>
          <input
            id="model-key-value"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
          <span class="muted small">
            Checked with one call (list models), then stored in the state dir (0600), never shown again.
          </span>
        </div>
        <FormOutcome error={error} done={done} />
        <button type="submit" class="primary" disabled={Boolean(busy)}>
          {busy ? 'Checking…' : 'Check and save'}
        </button>
      </form>
      <h3>Keys</h3>
      <ul class="plain-list" data-testid="provider-keys">
        {keys
          .filter((s) => s.set)
          .map((s) => (
            <li key={s.name}>
              <code>{s.name}</code> set ({s.source})
            </li>
          ))}
        {keys.every((s) => !s.set) && <li class="muted">No provider key yet.</li>}
      </ul>
      <ErrorNote error={models.error} />
      {listing && (
        <>
          <h3>Models in use</h3>
          <ul class="plain-list">
            {listing.models.map((m) => (
              <li key={m.ref}>
                <code>{m.ref}</code> {m.usedBy.map((u) => `${u.agentId} ${u.role}`).join(', ')}
                {m.problem ? <span class="error"> · {m.problem}</span> : null}
              </li>
            ))}
          </ul>
          {client.has('config.apply') && (
            <ModelChoice providers={listing.providers.map((p) => p.id)} onSaved={() => models.reload()} />
          )}
          <h3>Cooldowns and failovers</h3>
          <ul class="plain-list" data-testid="model-cooldowns">
            {listing.cooldowns.map((c) => (
              <li key={`${c.ref}-${c.profile}`}>
                {c.ref} ({c.profile}) cooling down {Math.ceil(c.remainingMs / 1000)} s: {c.reason}
              </li>
            ))}
            {listing.recentFailovers.map((f) => (
              <li key={`${f.at}-${f.from}`}>
                {new Date(f.at).toLocaleTimeString()}: {f.from} → {f.to} ({f.reason})
              </li>
            ))}
            {listing.cooldowns.length + listing.recentFailovers.length === 0 && <li class="muted">None.</li>}
          </ul>
        </>
      )}
    </section>
  );
}
