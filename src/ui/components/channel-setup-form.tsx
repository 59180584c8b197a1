import { useState } from 'preact/hooks';
import type { ChannelSetupAnswer, SetupEntry } from '../../core/protocol/payloads/setup';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { FormOutcome } from './notices';

/**
 * "Add <Channel>": its fields (secrets as password inputs, write-only), then `channels.setup`,
 * which checks them with the platform, stores the secrets and enables the channel. The platform's
 * answer is shown as is when it refuses.
 */
export function ChannelSetupForm({ entry, onDone }: { entry: SetupEntry; onDone(account?: string): void }) {
  const { client } = useApp();
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    await run('connect', async () => {
      const res = await client.request<ChannelSetupAnswer>(
        'channels.setup',
        { channel: entry.id, values },
        30_000,
      );
      // The secrets leave the page: the gateway has them now.
      setValues({});
      setDone(
        `${entry.label} connected${res.account ? ` as ${res.account}` : ''}.${res.notes?.length ? ` ${res.notes.join(' ')}` : ''}`,
      );
      onDone(res.account);
    });
  }

  const id = (name: string) => `setup-${entry.id}-${name}`;
  return (
    <form class="card setup-form" onSubmit={submit} aria-label={`Add ${entry.label}`} data-setup={entry.id}>
      <h3>Add {entry.label}</h3>
      {entry.fields.map((field) => (
        <div class="field" key={field.name}>
          <label for={id(field.name)}>
            {field.label}
            {field.optional ? <span class="muted"> (optional)</span> : null}
          </label>
          <input
            id={id(field.name)}
            type={(field.secret ? 'password' : 'text') as 'text'}
            autocomplete="off"
            spellcheck={false}
            required={!field.optional}
            aria-describedby={field.hint ? `${id(field.name)}-hint` : undefined}
            value={values[field.name] ?? ''}
            onInput={(e) => setValues((v) => ({ ...v, [field.name]: (e.target as HTMLInputElement).value }))}
          />
          {field.hint && (
            <span class="muted small" id={`${id(field.name)}-hint`}>
              {field.hint}
            </span>
          )}
        </div>
      ))}
      <FormOutcome error={error} done={done} />
      <button type="submit" class="primary" disabled={Boolean(busy)} aria-busy={busy ? true : undefined}>
        {busy ? 'Checking…' : 'Connect'}
      </button>
    </form>
  );
}
