import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { FormOutcome } from './notices';

type ModelSetting = string | { primary?: string; fallbacks?: string[] } | undefined;

/** `agents.defaults.model` as primary + fallbacks, saved through `config.apply` (problems by path). */
export function ModelChoice({ providers, onSaved }: { providers: string[]; onSaved(): void }) {
  const { client } = useApp();
  const [primary, setPrimary] = useState('');
  const [fallbacks, setFallbacks] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    client.request<{ config: { agents?: { defaults?: { model?: ModelSetting } } } }>('config.get').then(
      (res) => {
        const model = res.config.agents?.defaults?.model;
        setPrimary(typeof model === 'string' ? model : (model?.primary ?? ''));
        setFallbacks(typeof model === 'object' ? (model.fallbacks ?? []).join('\n') : '');
      },
      () => {},
    );
  }, [client]);

  async function save(event: Event) {
    event.preventDefault();
    setDone(undefined);
    await run('save', async () => {
      const current = await client.request<{ config: Record<string, unknown> }>('config.get');
      const doc = current.config as { agents?: { defaults?: Record<string, unknown> } };
      const list = fallbacks
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const model = { primary: primary.trim(), ...(list.length ? { fallbacks: list } : {}) };
      const agents = { ...(doc.agents ?? {}), defaults: { ...(doc.agents?.defaults ?? {}), model } };
      // A refusal's message already lists its problems by path (`agents.defaults.model.primary: …`).
      await client.request('config.apply', { config: { ...doc, agents } });
      setDone('Saved.');
      onSaved();
    });
  }

  return (
    <form class="card setup-form" onSubmit={save} aria-label="Primary model and fallbacks">
      <h3>Primary model and fallbacks</h3>
      <div class="field">
        <label for="model-primary">Primary model</label>
        <input
          id="model-primary"
          list="model-providers"
          placeholder="anthropic/claude-sonnet-4-5"
          required
          value={primary}
          onInput={(e) => setPrimary((e.target as HTMLInputElement).value)}
        />
        <datalist id="model-providers">
          {providers.map((id) => (
            <option key={id} value={`${id}/`} />
          ))}
        </datalist>
        <span class="muted small">provider/model; providers: {providers.join(', ')}</span>
      </div>
      <div class="field">
        <label for="model-fallbacks">Fallbacks (one per line, tried in order)</label>
        <textarea
          id="model-fallbacks"
          rows={2}
          value={fallbacks}
          onInput={(e) => setFallbacks((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <FormOutcome error={error} done={done} />
      <button type="submit" class="primary" disabled={Boolean(busy)}>
        {busy ? 'Saving…' : 'Save models'}
      </button>
    </form>
  );
}
