import type OpenAI from 'openai';
import { StreamEndedEarly } from './failure';
import { lazyClients, SDK_CLIENT_OPTIONS } from './sdk-clients';
import type { ChatMessage, ImagePart, ModelEvent, ProviderDef, ProviderRequest, Usage } from './types';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type UserPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

const STOP_REASONS: Record<string, 'end' | 'tool_use' | 'max_tokens'> = {
  stop: 'end',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
};

export interface OpenAICompatibleSpec extends Omit<ProviderDef, 'stream'> {
  /** OpenAI's newer models take `max_completion_tokens`; Gemini's compatible endpoint `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
}

/** A provider speaking OpenAI Chat Completions through the `openai` SDK (OpenAI, Gemini's compatible endpoint, presets, custom endpoints). */
export function createOpenAICompatible(spec: OpenAICompatibleSpec): ProviderDef {
  // The SDK is imported on the first request only (startup time is measured).
  const clients = lazyClients(async (apiKey, baseUrl) => {
    const { default: OpenAIClient } = await import('openai');
    // A keyless provider's empty key: the SDK insists on one, so it gets a placeholder and no Authorization header.
    return new OpenAIClient({
      apiKey: apiKey || 'none',
      baseURL: baseUrl,
      ...SDK_CLIENT_OPTIONS,
      defaultHeaders: { ...spec.headers, ...(apiKey ? {} : { authorization: null }) },
    });
  });

  async function* stream(request: ProviderRequest): AsyncGenerator<ModelEvent> {
    const client = await clients.get(request.apiKey, request.baseUrl ?? spec.defaultBaseUrl);
    const chunks = await client.chat.completions.create(
      {
        model: request.model,
        messages: toOpenAIMessages(request.messages, request.system),
        stream: true,
        stream_options: { include_usage: true },
        ...(request.maxTokens === undefined ? {} : { [spec.maxTokensField]: request.maxTokens }),
        ...(request.reasoning ? { reasoning_effort: request.reasoning } : {}),
        ...(request.tools?.length
          ? {
              tools: request.tools.map((tool) => ({
                type: 'function' as const,
                function: { name: tool.name, description: tool.description, parameters: tool.parameters },
              })),
            }
          : {}),
      },
      request.signal ? { signal: request.signal } : {},
    );
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    let finish: string | null = null;
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    for await (const chunk of chunks) {
      if (chunk.usage) {
        usage.inputTokens = chunk.usage.prompt_tokens ?? 0;
        usage.outputTokens = chunk.usage.completion_tokens ?? 0;
        // Part of prompt_tokens (https://platform.openai.com/docs/guides/prompt-caching); no cache-write count here.
        const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
        if (cached) usage.cacheReadTokens = cached;
      }
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) yield { type: 'text', delta: choice.delta.content };
      choice.delta?.tool_calls?.forEach((delta, position) => {
        // Gemini may leave out `index`: fall back to the call's id, then its position in the chunk.
        const index = delta.index ?? (delta.id ? calls.findIndex((call) => call?.id === delta.id) : -1);
        const slot = index >= 0 ? index : calls.length + position;
        calls[slot] ??= { id: '', name: '', arguments: '' };
        const call = calls[slot];
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        if (delta.function?.arguments) call.arguments += delta.function.arguments;
      });
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    if (finish === null) throw new StreamEndedEarly(`the ${spec.id} stream ended without a finish_reason`);
    const made = calls.filter(Boolean);
    made.forEach((call, index) => {
      call.id ||= `call_${index}`;
    });
    for (const call of made)
      yield { type: 'tool_call', call: { id: call.id, name: call.name, arguments: call.arguments || '{}' } };
    // Gemini says "stop" even when it asked for tools.
    const stopReason = made.length > 0 ? 'tool_use' : (STOP_REASONS[finish] ?? 'other');
    yield { type: 'done', stopReason, usage };
  }

  return { ...spec, stream };
}

export function toOpenAIMessages(messages: ChatMessage[], system: string | undefined): Message[] {
  const out: Message[] = system ? [{ role: 'system', content: system }] : [];
  const pendingImages: UserPart[] = [];
  for (const [index, message] of messages.entries()) {
    if (message.role === 'user') {
      if (typeof message.content === 'string') {
        out.push({ role: 'user', content: message.content });
        continue;
      }
      const parts = message.content.map(
        (part): UserPart => (part.type === 'text' ? { type: 'text', text: part.text } : toImageUrl(part)),
      );
      out.push({ role: 'user', content: parts });
    } else if (message.role === 'assistant') {
      const toolCalls = (message.toolCalls ?? []).map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.name, arguments: call.arguments },
      }));
      out.push({
        role: 'assistant',
        content: message.content || (toolCalls.length ? null : ''),
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      });
    } else {
      out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
      // Tool messages carry text only here: a tool's images follow in a user message of their own.
      if (message.images?.length)
        pendingImages.push(
          { type: 'text', text: `[image(s) returned by ${message.name}]` },
          ...message.images.map(toImageUrl),
        );
      const next = messages[index + 1];
      if (pendingImages.length > 0 && next?.role !== 'tool')
        out.push({ role: 'user', content: pendingImages.splice(0) });
    }
  }
  return out;
}

function toImageUrl(part: ImagePart): UserPart {
  return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.dataBase64}` } };
}
