import type { ChatEvent } from '../../core/protocol/payloads/chat';
import type { ChatMessage } from '../../core/protocol/payloads/sessions';

/** One tool call as the UI shows it (folded): name, arguments, result. */
export interface ToolCallView {
  id?: string;
  name: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
  /** How long the tool ran (live runs; stored transcripts do not keep it). */
  durationMs?: number;
}

export interface ChatItem {
  key: string;
  role: 'user' | 'assistant' | 'error' | 'note';
  text: string;
  tools: ToolCallView[];
  streaming?: boolean;
  model?: string;
}

/** How a compaction's summary message starts (SUMMARY_PREFIX in src/core/agent/compaction.ts). */
export const COMPACTION_PREFIX = '[Compacted:';

let counter = 0;
export const itemKey = () => `i${++counter}`;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: string }) =>
        part?.type === 'text' ? (part.text ?? '') : part?.type === 'image' ? '[image]' : '',
      )
      .join('');
  }
  return '';
}

function parseArgs(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stored transcript (ChatMessage[] from sessions.history) as chat items, tool results folded into their calls. */
export function toChatItems(messages: readonly ChatMessage[]): ChatItem[] {
  const items: ChatItem[] = [];
  const calls = new Map<string, ToolCallView>();
  for (const m of messages) {
    if (m.role === 'user') {
      const text = textOf(m.content);
      // A compaction's summary (src/core/agent/compaction.ts) shows as a marker, not as the user's words.
      items.push({
        key: itemKey(),
        role: text.startsWith(COMPACTION_PREFIX) ? 'note' : 'user',
        text,
        tools: [],
      });
    } else if (m.role === 'assistant') {
      const tools = (m.toolCalls ?? []).map((call) => {
        const view: ToolCallView = {
          id: call.id,
          name: call.name,
          args: parseArgs(call.arguments),
        };
        calls.set(call.id, view);
        return view;
      });
      const previous = items[items.length - 1];
      // A tool round-trip is one assistant turn on screen: calls, then the final text.
      if (previous?.role === 'assistant' && previous.tools.length > 0 && !previous.text) {
        previous.tools.push(...tools);
        previous.text = textOf(m.content);
      } else items.push({ key: itemKey(), role: 'assistant', text: textOf(m.content), tools });
    } else if (m.role === 'tool') {
      const call = calls.get(m.toolCallId);
      if (call) {
        call.result = textOf(m.content);
        call.isError = m.isError;
      }
    }
  }
  return items;
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What changes a reply on screen: a `chat` event (core's payload type; which run it belongs to
 * is the view's business), or the caller's own stop.
 */
export type ChatUpdate = Without<ChatEvent, 'runId' | 'sessionKey' | 'usage'> | { state: 'aborted' };

/** Whether the update ends the run (the reply is complete, failed or stopped). */
export function isTerminal(update: Pick<ChatUpdate, 'state'>): boolean {
  return update.state === 'final' || update.state === 'error' || update.state === 'aborted';
}

/** Folds one streamed update into the reply being shown. */
export function applyChatEvent(item: ChatItem, event: ChatUpdate): ChatItem {
  if (event.state === 'error' && event.code === 'ABORTED') return applyChatEvent(item, { state: 'aborted' });
  switch (event.state) {
    case 'delta':
      return { ...item, text: item.text + event.text };
    case 'tool':
      return {
        ...item,
        tools: [
          ...item.tools,
          {
            name: event.name,
            args: event.args,
            result: event.result,
            isError: event.isError,
            ...(typeof event.durationMs === 'number' ? { durationMs: event.durationMs } : {}),
          },
        ],
      };
    case 'final':
      return { ...item, text: event.text || item.text, model: event.model ?? item.model, streaming: false };
    case 'error':
      return {
        ...item,
        role: item.text ? item.role : 'error',
        text: item.text || event.message,
        streaming: false,
      };
    case 'aborted':
      return { ...item, streaming: false, text: `${item.text}${item.text ? '\n' : ''}(stopped)` };
  }
}
