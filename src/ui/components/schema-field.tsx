import { useEffect, useState } from 'preact/hooks';
import { formatDottedPath as dottedPath } from '../../core/config/dotted-path';
import { branchFor, type JsonSchema, kindOf, labelOf, type Path, parseNumberInput } from '../lib/schema-form';

export interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  path: Path;
  onChange(path: Path, value: unknown): void;
  /** Problems by dotted path, from `config.validate`. */
  problems: Map<string, string[]>;
}

/** The input id of a dotted path (`agents.list[0].id`): a problem in the list jumps to it. */
export const idOfDotted = (dotted: string) => `cf-${dotted.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const idOf = (path: Path) => idOfDotted(dottedPath(path));

/** The problems of one path, tied to its input by `aria-describedby`. */
function FieldProblems({ path, problems }: { path: Path; problems: Map<string, string[]> }) {
  const list = problems.get(dottedPath(path));
  if (!list?.length) return null;
  return (
    <span class="field-error" id={`${idOf(path)}-error`} role="alert">
      {list.join('; ')}
    </span>
  );
}

function inputProps(path: Path, problems: Map<string, string[]>) {
  const invalid = Boolean(problems.get(dottedPath(path))?.length);
  return {
    id: idOf(path),
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': invalid ? `${idOf(path)}-error` : undefined,
  };
}

/** A subtree the form has no widgets for (records, odd unions), edited as JSON; applied when the field is left. */
function JsonField({ value, path, onChange, problems }: FieldProps) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [syntax, setSyntax] = useState<string>();
  useEffect(() => setText(shown), [shown]);
  function commit() {
    if (text.trim() === '') return onChange(path, undefined);
    try {
      onChange(path, JSON.parse(text));
      setSyntax(undefined);
    } catch (error) {
      setSyntax((error as Error).message);
    }
  }
  return (
    <div class="field field-json">
      <label for={idOf(path)}>
        {labelOf(path[path.length - 1] ?? '')} <span class="muted">(JSON)</span>
      </label>
      <textarea
        {...inputProps(path, problems)}
        class="code-editor small-editor"
        spellcheck={false}
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onBlur={commit}
      />
      {syntax && (
        <span class="field-error" role="alert">
          JSON syntax: {syntax}
        </span>
      )}
      <FieldProblems path={path} problems={problems} />
    </div>
  );
}

function ObjectField(props: FieldProps & { legend?: boolean }) {
  const { schema, value, path, onChange, problems } = props;
  const properties = Object.entries(schema.properties ?? {});
  const body = properties.map(([key, child]) => (
    <SchemaField
      key={key}
      schema={child}
      value={value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined}
      path={[...path, key]}
      onChange={onChange}
      problems={problems}
    />
  ));
  if (props.legend === false) return <div class="form-grid">{body}</div>;
  return (
    <fieldset class="form-group">
      <legend>{labelOf(path[path.length - 1] ?? '')}</legend>
      <FieldProblems path={path} problems={problems} />
      <div class="form-grid">{body}</div>
    </fieldset>
  );
}

function ArrayField({ schema, value, path, onChange, problems }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const itemKind = kindOf(branchFor(itemSchema, items[0]));
  const label = labelOf(path[path.length - 1] ?? '');
  if (itemKind !== 'object') {
    // A list of words: one per line.
    return (
      <div class="field">
        <label for={idOf(path)}>
          {label} <span class="muted">(one per line)</span>
        </label>
        <textarea
          {...inputProps(path, problems)}
          rows={Math.min(6, Math.max(2, items.length + 1))}
          value={items.map(String).join('\n')}
          onChange={(e) => {
            const lines = (e.target as HTMLTextAreaElement).value
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean);
            onChange(path, lines.length ? lines : undefined);
          }}
        />
        <FieldProblems path={path} problems={problems} />
      </div>
    );
  }
  return (
    <fieldset class="form-group">
      <legend>{label}</legend>
      <FieldProblems path={path} problems={problems} />
      {items.map((item, index) => (
        <div class="form-item" key={index}>
          <div class="form-item-head">
            <strong>
              {label} {index + 1}
              {item && typeof item === 'object' && 'id' in item
                ? `: ${String((item as { id: unknown }).id)}`
                : ''}
            </strong>
            <button type="button" class="small" onClick={() => onChange([...path, index], undefined)}>
              Remove {label.toLowerCase()} {index + 1}
            </button>
          </div>
          <ObjectField
            schema={branchFor(itemSchema, item)}
            value={item}
            path={[...path, index]}
            onChange={onChange}
            problems={problems}
            legend={false}
          />
        </div>
      ))}
      <button type="button" onClick={() => onChange([...path, items.length], {})}>
        Add to {label.toLowerCase()}
      </button>
    </fieldset>
  );
}

/** One config value as form widgets, chosen by its schema. */
export function SchemaField(props: FieldProps) {
  const { value, path, onChange, problems } = props;
  const schema = branchFor(props.schema, value);
  const kind = kindOf(schema);
  const key = path[path.length - 1] ?? '';
  const label = labelOf(key);
  if (kind === 'object') {
    if (
      !schema.properties ||
      (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    )
      return <JsonField {...props} schema={schema} />;
    return <ObjectField {...props} schema={schema} />;
  }
  if (kind === 'array') return <ArrayField {...props} schema={schema} />;
  const common = inputProps(path, problems);
  let control: preact.JSX.Element;
  if (kind === 'enum' || kind === 'boolean') {
    const options = kind === 'boolean' ? [true, false] : (schema.enum ?? []);
    control = (
      <select
        {...common}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const text = (e.target as HTMLSelectElement).value;
          onChange(path, text === '' ? undefined : options.find((option) => String(option) === text));
        }}
      >
        <option value="">(default)</option>
        {options.map((option) => (
          <option key={String(option)} value={String(option)}>
            {kind === 'boolean' ? (option ? 'yes' : 'no') : String(option)}
          </option>
        ))}
      </select>
    );
  } else if (schema.writeOnly) {
    // Secrets are write-only: the value never reaches the page; typing replaces it.
    control = (
      <input
        {...common}
        type="password"
        autocomplete="new-password"
        value=""
        placeholder={value === undefined || value === '' ? 'not set' : 'set (hidden)'}
        title="A ${VAR} reference; the secret itself goes to env, or to Channels / Models (stored in credentials)"
        onChange={(e) => {
          const text = (e.target as HTMLInputElement).value;
          if (text) onChange(path, text);
        }}
      />
    );
  } else if (kind === 'number' || kind === 'integer') {
    control = (
      <input
        {...common}
        type="text"
        inputMode="numeric"
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(path, parseNumberInput((e.target as HTMLInputElement).value))}
      />
    );
  } else if (kind === 'string') {
    control = (
      <input
        {...common}
        type="text"
        value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
        onChange={(e) => {
          const text = (e.target as HTMLInputElement).value;
          onChange(path, text === '' ? undefined : text);
        }}
      />
    );
  } else return <JsonField {...props} schema={schema} />;
  return (
    <div class="field">
      <label for={common.id}>{label}</label>
      {control}
      <FieldProblems path={path} problems={problems} />
    </div>
  );
}
