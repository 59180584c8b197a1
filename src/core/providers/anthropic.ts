import type Anthropic from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import { StreamEndedEarly } from './failure';
import { claudeThinks, continuesToolRound, THINKING_BUDGET } from './reasoning';
import { lazyClients, SDK_CLIENT_OPTIONS } from './sdk-clients';
import type { ChatMessage, ImagePart, ModelEvent, ProviderDef, ProviderRequest, ToolSpec } from './types';

type MessageParam = Anthropic.MessageParam;
type ContentBlock = Anthropic.ContentBlockParam;

const DEFAULT_MAX_TOKENS = 4096;

const STOP_REASONS: Record<string, 'end' | 'tool_use' | 'max_tokens'> = {
  end_turn: 'end',
  stop_sequence: 'end',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
};

export type AnthropicSpec = Omit<ProviderDef, 'stream'>;

/** A provider speaking the Anthropic Messages API through `@anthropic-ai/sdk` (Anthropic itself, compatible endpoints). */
export function createAnthropicCompatible(spec: AnthropicSpec): ProviderDef {
  // The SDK costs ~240 ms to import: loaded on the first request only.
  const clients = lazyClients(async (apiKey, baseUrl) => {
    const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
    // A keyless provider's empty key: the SDK insists on one, so it gets a placeholder and no x-api-key header.
    return new AnthropicClient({
      apiKey: apiKey || 'none',
      baseURL: baseUrl,
      ...SDK_CLIENT_OPTIONS,
      defaultHeaders: { ...spec.headers, ...(apiKey ? {} : { 'x-api-key': null }) },
    });
  });
  return {
    ...spec,
    stream: async function* (request) {
      const client = await clients.get(request.apiKey, request.baseUrl ?? spec.defaultBaseUrl);
      yield* streamAnthropic(client, request);
    },
  };
}

/** Anthropic Messages API through `@anthropic-ai/sdk`, streamed (https://docs.anthropic.com/en/api/messages-streaming). */
export const anthropicProvider: ProviderDef = createAnthropicCompatible({
  id: 'anthropic',
  keyEnv: ['ANTHROPIC_API_KEY'],
  keysEnv: ['ANTHROPIC_API_KEYS'],
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  defaultBaseUrl: 'https://api.anthropic.com',
  reasons: claudeThinks,
});

async function* streamAnthropic(client: Anthropic, request: ProviderRequest): AsyncGenerator<ModelEvent> {
  const body: Anthropic.MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(request.messages),
    stream: true,
    ...thinkingParams(request),
    ...(request.system ? { system: request.system } : {}),
    ...(request.tools?.length ? { tools: request.tools.map(toAnthropicTool) } : {}),
  };
  // `client.post` is what `messages.create` calls, minus its console.warn (two raw lines on every
  // request for the guide's own model ids): the gateway's log stays one readable line per event.
  const stream = await client.post<Stream<Anthropic.RawMessageStreamEvent>>('/v1/messages', {
    body,
    stream: true,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  let inputTokens = 0;
  let outputTokens = 0;
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  let stopReason: string | null = null;
  const tools = new Map<number, { id: string; name: string; json: string }>();
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start': {
        const usage = event.message.usage;
        // Anthropic's input_tokens leaves the cached ones out; Usage counts them in (as OpenAI does).
        cacheReadTokens = usage.cache_read_input_tokens ?? 0;
        cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
        inputTokens = usage.input_tokens + cacheReadTokens + cacheWriteTokens;
        outputTokens = usage.output_tokens;
        break;
      }
      case 'content_block_start':
        if (event.content_block.type === 'tool_use')
          tools.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') yield { type: 'text', delta: event.delta.text };
        else if (event.delta.type === 'input_json_delta') {
          const tool = tools.get(event.index);
          if (tool) tool.json += event.delta.partial_json;
        }
        break;
      case 'content_block_stop': {
        const tool = tools.get(event.index);
        if (tool)
          yield { type: 'tool_call', call: { id: tool.id, name: tool.name, arguments: tool.json || '{}' } };
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        outputTokens = event.usage.output_tokens ?? outputTokens;
        break;
      case 'message_stop':
        yield {
          type: 'done',
          stopReason: STOP_REASONS[stopReason ?? ''] ?? 'other',
          usage: {
            inputTokens,
            outputTokens,
            ...(cacheReadTokens ? { cacheReadTokens } : {}),
            ...(cacheWriteTokens ? { cacheWriteTokens } : {}),
          },
        };
        return;
    }
  }
  throw new StreamEndedEarly('the Anthropic stream ended without message_stop');
}

/** Extended thinking for `/think`: the budget comes on top of the answer's own max_tokens. */
function thinkingParams(request: ProviderRequest): Partial<Anthropic.MessageCreateParamsStreaming> {
  if (!request.reasoning || continuesToolRound(request.messages)) return {};
  const budget = THINKING_BUDGET[request.reasoning];
  return {
    thinking: { type: 'enabled', budget_tokens: budget },
    max_tokens: budget + (request.maxTokens ?? DEFAULT_MAX_TOKENS),
  };
}

function toAnthropicTool(tool: ToolSpec): Anthropic.Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Anthropic.Tool.InputSchema,
  };
}

/** Anthropic wants tool results inside a user turn and no two turns of one role in a row: merge them. */
export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlock[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'user') {
      const parts =
        typeof message.content === 'string'
          ? [{ type: 'text' as const, text: message.content }]
          : message.content;
      push(
        'user',
        parts.map(
          (part): ContentBlock =>
            part.type === 'text' ? { type: 'text', text: part.text } : toImageBlock(part),
        ),
      );
    } else if (message.role === 'assistant') {
      const blocks: ContentBlock[] = message.content ? [{ type: 'text', text: message.content }] : [];
      for (const call of message.toolCalls ?? [])
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: parseArguments(call.arguments),
        });
      if (blocks.length > 0) push('assistant', blocks);
    } else {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          // A tool result may hold images beside its text (https://docs.anthropic.com/en/docs/build-with-claude/tool-use).
          content: message.images?.length
            ? [{ type: 'text', text: message.content }, ...message.images.map(toImageBlock)]
            : message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ]);
    }
  }
  return out;
}

function toImageBlock(part: ImagePart): Anthropic.ImageBlockParam {
  return {
    type: 'image',
    source: { type: 'base64', media_type: part.mimeType as 'image/png', data: part.dataBase64 },
  };
}

/** Anthropic needs an object as `input`; arguments the model got wrong are sent back as `{}`. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
