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

type Message = {
  role?: string;
  content?: unknown;
  toolCalls?: Array<{ id?: string; name?: string; arguments?: string }>;
  toolCallId?: string;
  name?: string;
  isError?: boolean;
};

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
export function toChatItems(messages: Message[]): ChatItem[] {
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
          name: call.name ?? 'tool',
          args: parseArgs(call.arguments),
        };
        if (call.id) calls.set(call.id, view);
        return view;
      });
      const previous = items[items.length - 1];
      // A tool round-trip is one assistant turn on screen: calls, then the final text.
      if (previous?.role === 'assistant' && previous.tools.length > 0 && !previous.text) {
        previous.tools.push(...tools);
        previous.text = textOf(m.content);
      } else items.push({ key: itemKey(), role: 'assistant', text: textOf(m.content), tools });
    } else if (m.role === 'tool') {
      const call = m.toolCallId ? calls.get(m.toolCallId) : undefined;
      if (call) {
        call.result = textOf(m.content);
        call.isError = m.isError;
      }
    }
  }
  return items;
}

/** A streamed `chat` event payload (src/core/protocol/methods/chat.ts): `state` names the kind. */
export interface ChatEvent {
  state?: string;
  type?: 'model' | 'delta' | 'tool' | 'final' | 'error' | 'aborted' | string;
  runId?: string;
  sessionKey?: string;
  text?: string;
  ref?: string;
  model?: string;
  name?: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
  durationMs?: number;
  code?: string;
  message?: string;
}

/** Whether the event ends the run (the reply is complete, failed or stopped). */
export function isTerminal(event: ChatEvent): boolean {
  const kind = event.state ?? event.type;
  return kind === 'final' || kind === 'error' || kind === 'aborted';
}

/** Folds one streamed event into the reply being shown. */
export function applyChatEvent(item: ChatItem, event: ChatEvent): ChatItem {
  const kind = event.code === 'ABORTED' ? 'aborted' : (event.state ?? event.type);
  switch (kind) {
    case 'model':
      return { ...item, model: event.ref ?? item.model };
    case 'delta':
      return { ...item, text: item.text + (event.text ?? '') };
    case 'tool':
      return {
        ...item,
        tools: [
          ...item.tools,
          {
            name: event.name ?? 'tool',
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
        text: item.text || `${event.message ?? 'the run failed'}`,
        streaming: false,
      };
    case 'aborted':
      return { ...item, streaming: false, text: `${item.text}${item.text ? '\n' : ''}(stopped)` };
    default:
      return item;
  }
}
