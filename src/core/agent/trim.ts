import type { ChatMessage, ContentPart } from '../providers/types';

/** Rough token count (chars / 4): good enough to keep a transcript under a budget without a tokenizer. */
export function estimateTokens(message: ChatMessage): number {
  let chars = 16;
  if (message.role === 'user') {
    chars +=
      typeof message.content === 'string'
        ? message.content.length
        : message.content.reduce((n, part) => n + partChars(part), 0);
  } else if (message.role === 'assistant') {
    chars += message.content.length;
    for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length + 16;
  } else {
    chars += message.content.length + message.name.length;
  }
  return Math.ceil(chars / 4);
}

/** The estimate of a run of messages: a turn, a transcript. */
export const transcriptTokens = (messages: ChatMessage[]) =>
  messages.reduce((n, message) => n + estimateTokens(message), 0);

function partChars(part: ContentPart): number {
  // Providers bill an image at roughly a thousand-odd tokens whatever its size.
  return part.type === 'text' ? part.text.length : 6000;
}

/**
 * Splits a transcript into turns, each starting at a user message: a turn holds the assistant's
 * tool calls together with their results, so dropping whole turns never orphans a tool result.
 */
export function splitTurns(messages: ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (const message of messages) {
    if (message.role === 'user') turns.push([message]);
    // Messages before the first user message cannot start a valid request; drop them.
    else turns.at(-1)?.push(message);
  }
  return turns;
}

/**
 * How many of the newest turns fit the budget together, at most `max`: each turn counted once,
 * from the newest back; the newest always counts, even alone over budget.
 */
export function newestTurnsWithin(turns: ChatMessage[][], budgetTokens: number, max = turns.length): number {
  let kept = 0;
  let total = 0;
  for (let i = turns.length - 1; i >= 0 && kept < max; i--) {
    const cost = transcriptTokens(turns[i] ?? []);
    if (kept > 0 && total + cost > budgetTokens) break;
    kept++;
    total += cost;
  }
  return kept;
}

/**
 * Keeps the newest whole turns that fit the budget (the oldest are dropped, not summarized);
 * the newest turn is always kept, even alone over budget.
 */
export function trimToBudget(messages: ChatMessage[], budgetTokens: number): ChatMessage[] {
  const turns = splitTurns(messages);
  return turns.slice(turns.length - newestTurnsWithin(turns, budgetTokens)).flat();
}

/** Images (a user's, a tool's) are sent to the model once; the stored transcript keeps a placeholder, not the bytes. */
export function forStorage(message: ChatMessage): ChatMessage {
  if (message.role === 'tool' && message.images) {
    const { images, ...rest } = message;
    return {
      ...rest,
      content: [message.content, ...images.map((image) => `[image ${image.mimeType}]`)].join('\n'),
    };
  }
  if (message.role !== 'user' || typeof message.content === 'string') return message;
  return {
    role: 'user',
    content: message.content.map(
      (part): ContentPart =>
        part.type === 'image' ? { type: 'text', text: `[image ${part.mimeType}]` } : part,
    ),
  };
}
