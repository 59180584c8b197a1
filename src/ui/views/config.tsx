import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { REDACTED } from '../../core/config/redacted';
import type { ConfigProblem as Problem } from '../../core/protocol/payloads/setup';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { idOfDotted } from '../components/schema-field';
import { useApp } from '../lib/app-context';
import { configProblemsOf, type RequestError } from '../lib/client';
import { lineOfPath, parseJsonDocument } from '../lib/json-text';
import { type JsonSchema, type Path, setAt } from '../lib/schema-form';
import { ConfigForm } from './config-form';

const VALIDATE_DELAY_MS = 400;

/**
 * The config as a form generated from its JSON Schema (common sections), and as text under
 * "Advanced". Both edit one document. Secrets arrive as `__redacted__` and are never shown; left
 * as they are, the gateway keeps the stored values. Problems are shown by dotted path before
 * anything is applied.
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
  const [schema, setSchema] = useState<JsonSchema>();
  const [advanced, setAdvanced] = useState(false);
  const hasSchema = client.has('config.schema');

  useEffect(() => {
    if (!hasSchema || schema || status.state !== 'connected') return;
    client.request<{ schema: JsonSchema }>('config.schema').then(
      (res) => setSchema(res.schema),
      () => setAdvanced(true),
    );
  }, [hasSchema, generation, status.state]);

  const doc = useMemo(() => (text === undefined ? undefined : parseJsonDocument(text)), [text]);
  const byPath = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of problems) map.set(p.path, [...(map.get(p.path) ?? []), p.message]);
    return map;
  }, [problems]);

  function edit(path: Path, value: unknown) {
    if (!doc?.ok) return;
    setText(`${JSON.stringify(setAt(doc.value, path, value), null, 2)}\n`);
  }

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
    if (text === undefined) return;
    const seq = ++checkSeq.current;
    if (text === loaded) {
      // Back to what the gateway has: nothing to check, and earlier problems are gone.
      setProblems([]);
      setSyntax(undefined);
      return;
    }
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
      const found = configProblemsOf(err);
      if (found) setProblems(found);
      else setError(err as RequestError);
    } finally {
      setApplying(false);
    }
  }

  function jumpTo(path: string) {
    const field = !advanced && document.getElementById(idOfDotted(path));
    if (field) return field.focus();
    setAdvanced(true);
    requestAnimationFrame(() => jumpToText(path));
  }

  function jumpToText(path: string) {
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
      {hasSchema && (
        <fieldset class="segmented">
          <legend class="sr-only">Editor</legend>
          <button
            type="button"
            aria-pressed={!advanced}
            disabled={!schema}
            onClick={() => setAdvanced(false)}
          >
            Form
          </button>
          <button type="button" aria-pressed={advanced} onClick={() => setAdvanced(true)}>
            Advanced (JSON)
          </button>
        </fieldset>
      )}
      <p class="help" id="config-help">
        <code>krabkrab.json</code>. Secrets are never shown (<code>{REDACTED}</code> in JSON): leave them as
        they are to keep the stored value; add new ones in Channels or Models, in env, or reference them as{' '}
        <code>{'\u0024{VAR}'}</code>.
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
      {!advanced && schema && doc?.ok && (
        <ConfigForm schema={schema} doc={doc.value} problems={byPath} onChange={edit} />
      )}
      {!advanced && schema && doc && !doc.ok && (
        <p class="error">The JSON has a syntax error: fix it under Advanced first.</p>
      )}
      {(advanced || !schema) && (
        <>
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
        </>
      )}
    </section>
  );
}
