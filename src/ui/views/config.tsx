import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import { RequestError } from '../lib/client';
import { lineOfPath, parseJsonDocument } from '../lib/json-text';

interface Problem {
  path: string;
  message: string;
}

const REDACTED = '__redacted__';
const VALIDATE_DELAY_MS = 400;

/**
 * The config as text. Secrets arrive as `__redacted__`; left as they are, the gateway keeps the
 * stored values. Problems are shown by dotted path before anything is applied.
 */
export function ConfigView() {
  const { client, generation, status } = useApp();
  const [text, setText] = useState<string>();
  const [loaded, setLoaded] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [syntax, setSyntax] = useState<string>();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<RequestError>();
  const [applied, setApplied] = useState<string>();
  const [applying, setApplying] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const checkSeq = useRef(0);
  const can = client.has('config.get');

  async function load() {
    setError(undefined);
    try {
      const res = await client.request<{ config: unknown }>('config.get');
      const pretty = `${JSON.stringify(res.config, null, 2)}\n`;
      setText(pretty);
      setLoaded(pretty);
      setProblems([]);
      setSyntax(undefined);
    } catch (err) {
      setError(err as RequestError);
    }
  }
  useEffect(() => {
    if (can && status.state === 'connected' && text === undefined) void load();
  }, [can, generation, status.state]);

  // Validate as the owner types (debounced), so problems show before Apply.
  useEffect(() => {
    if (text === undefined || text === loaded) return;
    const seq = ++checkSeq.current;
    const timer = setTimeout(() => void check(text, seq), VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  async function check(value: string, seq = ++checkSeq.current): Promise<boolean> {
    const parsed = parseJsonDocument(value);
    if (!parsed.ok) {
      setSyntax(parsed.message);
      setProblems([]);
      return false;
    }
    setSyntax(undefined);
    setChecking(true);
    try {
      const res = await client.request<{ ok: boolean; problems: Problem[] }>('config.validate', {
        config: parsed.value,
      });
      if (seq === checkSeq.current) setProblems(res.problems ?? []);
      return res.ok;
    } catch (err) {
      if (seq === checkSeq.current) setError(err as RequestError);
      return false;
    } finally {
      if (seq === checkSeq.current) setChecking(false);
    }
  }

  async function apply() {
    if (text === undefined) return;
    setApplied(undefined);
    setError(undefined);
    if (!(await check(text))) return;
    const parsed = parseJsonDocument(text);
    if (!parsed.ok) return;
    setApplying(true);
    try {
      const res = await client.request<{ config: unknown }>('config.apply', { config: parsed.value });
      const pretty = `${JSON.stringify(res.config, null, 2)}\n`;
      setText(pretty);
      setLoaded(pretty);
      setProblems([]);
      setApplied(`Applied at ${new Date().toLocaleTimeString()}.`);
    } catch (err) {
      const details =
        err instanceof RequestError ? (err.details as { problems?: Problem[] } | undefined) : undefined;
      if (details?.problems) setProblems(details.problems);
      else setError(err as RequestError);
    } finally {
      setApplying(false);
    }
  }

  function jumpTo(path: string) {
    const el = area.current;
    if (!el || text === undefined) return;
    const range = lineOfPath(text, path);
    el.focus();
    if (range) el.setSelectionRange(range.start, range.end);
  }

  if (!can) return <Unavailable title="Config" what="Config editing" methods={['config.get']} />;
  const dirty = text !== undefined && text !== loaded;
  const invalid = Boolean(syntax) || problems.length > 0;
  return (
    <section>
      <ViewHeader title="Config">
        <button type="button" onClick={() => void load()} disabled={applying}>
          {dirty ? 'Discard changes' : 'Reload'}
        </button>
        <button
          type="button"
          class="primary"
          onClick={() => void apply()}
          disabled={!dirty || invalid || applying || checking}
        >
          {applying ? 'Applying…' : 'Apply'}
        </button>
      </ViewHeader>
      <p class="help" id="config-help">
        <code>krabkrab.json</code> as JSON. Secrets show as <code>{REDACTED}</code>: leave them as they are to
        keep the stored value; put new secrets in env, or reference them as <code>{'\u0024{VAR}'}</code>.
      </p>
      <ErrorNote error={error} />
      <div class="problems" aria-live="polite" data-testid="config-problems">
        {syntax && (
          <p class="error" role="alert">
            JSON syntax: {syntax}
          </p>
        )}
        {problems.length > 0 && (
          <>
            <p class="error" role="alert">
              {problems.length} problem{problems.length === 1 ? '' : 's'}; fix{' '}
              {problems.length === 1 ? 'it' : 'them'} before applying:
            </p>
            <ul class="problem-list">
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <button type="button" class="link" onClick={() => jumpTo(p.path)}>
                    <code>{p.path || '(top level)'}</code>
                  </button>
                  : {p.message}
                </li>
              ))}
            </ul>
          </>
        )}
        {!invalid && dirty && !checking && <p class="ok">No problems found.</p>}
        {applied && !dirty && (
          <p class="ok" role="status">
            {applied}
          </p>
        )}
      </div>
      <label for="config-text" class="sr-only">
        Configuration (JSON)
      </label>
      <textarea
        id="config-text"
        ref={area}
        class="code-editor"
        spellcheck={false}
        autocomplete="off"
        aria-describedby="config-help"
        aria-invalid={invalid ? true : undefined}
        value={text ?? ''}
        disabled={text === undefined}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
    </section>
  );
}
