import type { ComponentChildren } from 'preact';
import { useApp } from '../lib/app-context';
import type { RequestError } from '../lib/client';

/** Says plainly that this gateway does not offer a feature yet, instead of failing. */
export function Unavailable({ title, what, methods }: { title?: string; what: string; methods: string[] }) {
  const { client } = useApp();
  const missing = methods.filter((m) => !client.has(m));
  const notice = (
    <div class="notice" role="status">
      <strong>{what} is not available on this gateway yet.</strong> It does not offer{' '}
      {missing.map((m, i) => (
        <span key={m}>
          {i > 0 ? ', ' : ''}
          <code>{m}</code>
        </span>
      ))}
      . This view fills in once a gateway version with it is running.
    </div>
  );
  if (!title) return notice;
  return (
    <section>
      <ViewHeader title={title} />
      {notice}
    </section>
  );
}

export function ErrorNote({
  error,
  children,
}: {
  error?: RequestError | Error | string;
  children?: ComponentChildren;
}) {
  if (!error && !children) return null;
  const text = typeof error === 'string' ? error : error?.message;
  return (
    <p class="error" role="alert">
      {text}
      {children}
    </p>
  );
}

/** A form's outcome: what went wrong, or what it did. */
export function FormOutcome({ error, done }: { error?: RequestError | Error | string; done?: string }) {
  return (
    <>
      <ErrorNote error={error} />
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
    </>
  );
}

export function ViewHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="view-header">
      <h2 tabIndex={-1} data-view-title>
        {title}
      </h2>
      <div class="actions">{children}</div>
    </div>
  );
}
