import { GatewayError } from '../../src/core/errors';
import type {
  ModelRouter,
  RoutedEvent,
  RoutedRequest,
  ToolCall,
  Usage,
} from '../../src/core/providers/types';

/** One scripted model answer: text (streamed in pieces), tool calls, an error, or a hang until aborted. */
export type ScriptedReply =
  | {
      text: string;
      toolCalls?: Array<Omit<ToolCall, 'id'> & { id?: string }>;
      model?: string;
      /** Answers once this settles: the test holds the model mid-turn, then lets it answer. */
      after?: Promise<unknown>;
      delayMs?: number;
      /** The call's usage; default 10 tokens in, one out per word. */
      usage?: Usage;
    }
  | { error: GatewayError }
  | { hang: true };

export interface ScriptedRouter extends ModelRouter {
  /** Every request the runtime made, in order. */
  requests: RoutedRequest[];
  enqueue(...replies: ScriptedReply[]): void;
}

/**
 * A stand-in for the provider layer (`ctx.models`) in unit tests: answers from a queue, else
 * echoes the last user message as `echo: <text>`. Real routers live in src/core/providers.
 */
export function createScriptedRouter(
  options: { replies?: ScriptedReply[]; respond?: (request: RoutedRequest) => ScriptedReply } = {},
): ScriptedRouter {
  const queue = [...(options.replies ?? [])];
  const requests: RoutedRequest[] = [];
  let ids = 0;
  return {
    requests,
    enqueue: (...replies) => queue.push(...replies),
    async *stream(request): AsyncIterable<RoutedEvent> {
      requests.push(structuredClone({ ...request, signal: undefined }));
      const reply = queue.shift() ?? options.respond?.(request) ?? { text: `echo: ${lastUserText(request)}` };
      if ('error' in reply) throw reply.error;
      if ('hang' in reply) {
        await new Promise<void>((_resolve, reject) => {
          const fail = () => reject(request.signal?.reason ?? new Error('aborted'));
          if (request.signal?.aborted) fail();
          request.signal?.addEventListener('abort', fail, { once: true });
        });
        return;
      }
      yield { type: 'model', ref: reply.model ?? request.models[0] ?? 'test/model' };
      if (reply.after) await reply.after;
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      const words = reply.text.match(/\S+\s*|\s+/g) ?? [];
      for (const word of words) yield { type: 'text', delta: word };
      for (const call of reply.toolCalls ?? [])
        yield {
          type: 'tool_call',
          call: { id: call.id ?? `call_${++ids}`, name: call.name, arguments: call.arguments },
        };
      yield {
        type: 'done',
        stopReason: reply.toolCalls?.length ? 'tool_use' : 'end',
        usage: reply.usage ?? { inputTokens: 10, outputTokens: words.length },
      };
    },
  };
}

export function lastUserText(request: RoutedRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    return typeof message.content === 'string'
      ? message.content
      : message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
  }
  return '';
}

export const unavailable = (message = 'all models failed') => ({
  error: new GatewayError('UNAVAILABLE', message),
});

/** A promise the test settles when it likes (`after:` of a scripted reply): `open()` lets the model answer. */
export function createGate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
