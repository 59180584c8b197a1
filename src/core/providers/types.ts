/**
 * The provider contract: one file per provider (anthropic, openai, google) implements it, and
 * the table in `providers/index.ts` names them. Failover lives above this, in the model router.
 */

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mimeType: string; dataBase64: string };

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text exactly as the model produced it (it may be invalid; the runtime checks it). */
  arguments: string;
}

export type ChatMessage =
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** What a provider streams back, in order: text deltas and tool calls, then exactly one `done`. */
export type ModelEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; stopReason: 'end' | 'tool_use' | 'max_tokens' | 'other'; usage: Usage };

export interface ProviderRequest {
  /** The model id without the provider prefix (`claude-opus-4-5`). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  apiKey: string;
  baseUrl?: string;
  signal?: AbortSignal;
}

export interface Provider {
  id: string;
  stream(request: ProviderRequest): AsyncIterable<ModelEvent>;
}

/** A request to the model router: the models to try in order (`provider/model` refs: primary, then fallbacks). */
export interface RoutedRequest {
  models: string[];
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  signal?: AbortSignal;
}

/** Router events: which model answers (`model`, before its first token), then that model's events. */
export type RoutedEvent = ModelEvent | { type: 'model'; ref: string };

/**
 * Picks the key and model (rotating keys, skipping pairs in cooldown, failing over on
 * 401/403/429/5xx/529/network errors/timeouts) and streams the answer. Lives on `ctx.models`.
 */
export interface ModelRouter {
  stream(request: RoutedRequest): AsyncIterable<RoutedEvent>;
}
