import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatItem, ToolCallView } from '../lib/chat-model';
import { Markdown } from './markdown';

function show(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function ToolCall({ call }: { call: ToolCallView }) {
  return (
    <details class={`tool${call.isError ? ' tool-error' : ''}`}>
      <summary>
        Tool: <code>{call.name}</code>
        {call.isError ? ' (failed)' : ''}
        {call.durationMs !== undefined && <span class="muted"> · {formatDuration(call.durationMs)}</span>}
      </summary>
      {call.args !== undefined && (
        <>
          <h4>Arguments</h4>
          <pre>{show(call.args)}</pre>
        </>
      )}
      {call.result !== undefined && (
        <>
          <h4>Result</h4>
          <pre>{show(call.result)}</pre>
        </>
      )}
    </details>
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const ROLE_LABEL: Record<ChatItem['role'], string> = {
  user: 'You',
  assistant: 'Agent',
  error: 'Error',
  note: 'Note',
};

/** The conversation: messages, tool calls folded, the streaming reply growing at the end. */
export function Transcript({ items, follow = true }: { items: ChatItem[]; follow?: boolean }) {
  const box = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  });
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
    <ol class="transcript" ref={box} aria-live="polite" aria-label="Conversation" tabIndex={0}>
      {items.map((item) => (
        <li
          key={item.key}
          class={`msg msg-${item.role}${item.streaming ? ' streaming' : ''}`}
          aria-busy={item.streaming ? true : undefined}
        >
          <span class="who">
            {ROLE_LABEL[item.role]}
            {item.model ? <span class="muted"> · {item.model}</span> : null}
          </span>
          {item.tools.map((call, i) => (
            <ToolCall key={i} call={call} />
          ))}
          {(item.text || item.streaming) &&
            (item.role === 'assistant' && item.text ? (
              <div class="text text-md">
                <Markdown text={item.text} streaming={item.streaming} />
              </div>
            ) : (
              <div class="text">{item.text || '…'}</div>
            ))}
        </li>
      ))}
    </ol>
  );
}
