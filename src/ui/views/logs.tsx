import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import type { LogLine } from '../lib/log-buffer';

const LEVELS = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type Level = keyof typeof LEVELS;
const SHOWN = 500;

/** Live tail of the gateway log (already redacted by the gateway), with a text and level filter. */
export function LogsView() {
  const { logs } = useApp();
  const [, setVersion] = useState(0);
  const [filter, setFilter] = useState('');
  const [level, setLevel] = useState<Level>('debug');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);

  // Subscribed in the commit that first shows the lines, not after paint: a `logs.tail` answer
  // arriving in between would fill the buffer unseen, leaving the view empty until the next line.
  useLayoutEffect(() => logs.subscribe(() => setVersion((v) => v + 1)), [logs]);

  const needle = filter.trim().toLowerCase();
  const shown = logs.lines
    .filter(
      (l: LogLine) => LEVELS[l.level] >= LEVELS[level] && (!needle || l.line.toLowerCase().includes(needle)),
    )
    .slice(-SHOWN);

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  });

  return (
    <section aria-labelledby="logs-title">
      <ViewHeader title="Logs">
        <label class="check">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow((e.target as HTMLInputElement).checked)}
          />
          Follow
        </label>
      </ViewHeader>
      <div class="toolbar">
        <label>
          Filter
          <input
            type="search"
            value={filter}
            placeholder="e.g. telegram"
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Level
          <select value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value as Level)}>
            <option value="debug">all</option>
            <option value="info">info and above</option>
            <option value="warn">warnings and errors</option>
            <option value="error">errors</option>
          </select>
        </label>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it */}
      <div class="log-box" ref={box} role="log" aria-live="off" tabIndex={0} aria-label="Gateway log">
        {shown.length === 0 && <p class="muted">No log lines{needle ? ' match the filter' : ' yet'}.</p>}
        {shown.map((l) => (
          <div key={l.seq} class={`log-line lvl-${l.level}`}>
            <time>{new Date(l.ts).toLocaleTimeString()}</time> <span class="lvl">{l.level}</span> {l.line}
          </div>
        ))}
      </div>
      <p class="muted small">
        Showing {shown.length} of {logs.lines.length} lines kept in this tab.
      </p>
    </section>
  );
}
