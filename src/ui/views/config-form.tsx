import { useState } from 'preact/hooks';
import { SchemaField } from '../components/schema-field';
import type { JsonSchema, Path } from '../lib/schema-form';

/** The sections the form covers; everything else is edited under Advanced. */
const SECTIONS: Array<{ title: string; keys: string[] }> = [
  { title: 'Agents and models', keys: ['agents', 'models'] },
  { title: 'Channels', keys: ['channels'] },
  { title: 'Tools', keys: ['tools'] },
  { title: 'Cron', keys: ['cron'] },
];

export interface ConfigFormProps {
  schema: JsonSchema;
  doc: Record<string, unknown>;
  problems: Map<string, string[]>;
  onChange(path: Path, value: unknown): void;
}

/** The common config sections as a form generated from the config's JSON Schema (`config.schema`). */
export function ConfigForm({ schema, doc, problems, onChange }: ConfigFormProps) {
  const [section, setSection] = useState(0);
  const current = SECTIONS[section] ?? SECTIONS[0]!;
  return (
    <div class="config-form">
      <fieldset class="segmented">
        <legend class="sr-only">Config section</legend>
        {SECTIONS.map((s, i) => (
          <button key={s.title} type="button" aria-pressed={i === section} onClick={() => setSection(i)}>
            {s.title}
          </button>
        ))}
      </fieldset>
      {current.keys.map((key) => {
        const child = schema.properties?.[key];
        return child ? (
          <SchemaField
            key={key}
            schema={child}
            value={doc[key]}
            path={[key]}
            onChange={onChange}
            problems={problems}
          />
        ) : null;
      })}
    </div>
  );
}
