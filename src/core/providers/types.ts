/**
 * The provider contract: one file per built-in provider (anthropic, openai, google) implements it,
 * the table in `providers/index.ts` names them, and `providers/table.ts` adds the presets and the
 * config's own `models.providers.<id>` endpoints. Failover lives above this, in the model router.
 *
 * The records the control protocol carries (transcript messages, `usage`) are zod schemas with their types inferred.
 * Runtime code imports only types from here, so no schema of this file is built at start.
 */

import * as z from '../zod';

export const imagePart = z.object({ type: z.literal('image'), mimeType: z.string(), dataBase64: z.string() });
export type ImagePart = z.infer<typeof imagePart>;

export const contentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  imagePart,
]);
export type ContentPart = z.infer<typeof contentPart>;

export const toolCall = z.object({
  id: z.string(),
  name: z.string(),
  /** JSON text exactly as the model produced it (it may be invalid; the runtime checks it). */
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof toolCall>;

/** One message of a transcript, as providers take it and `sessions.history` shows it. */
export const chatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(contentPart)]) }),
  z.object({ role: z.literal('assistant'), content: z.string(), toolCalls: z.array(toolCall).optional() }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string(),
    name: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
    /** Images the tool returned (`read` of a picture), for models that see them. */
    images: z.array(imagePart).optional(),
  }),
]);
export type ChatMessage = z.infer<typeof chatMessage>;

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/**
 * One call's tokens (or a sum of calls). `inputTokens` counts every prompt token, cached ones
 * included; `cacheReadTokens` and `cacheWriteTokens` say how many of them were read from or
 * written to the provider's prompt cache (absent when the provider did not say).
 */
export const usage = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
});
export type Usage = z.infer<typeof usage>;

/** What a provider streams back, in order: text deltas and tool calls, then exactly one `done`. */
export type ModelEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; stopReason: 'end' | 'tool_use' | 'max_tokens' | 'other'; usage: Usage };

import type { ReasoningLevel } from './reasoning';

export interface ProviderRequest {
  /** The model id without the provider prefix (`claude-opus-4-5`). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  /** `/think`: reasoning effort or thinking budget; only sent to a model its provider says reasons. */
  reasoning?: ReasoningLevel;
  apiKey: string;
  baseUrl?: string;
  signal?: AbortSignal;
}

export interface Provider {
  id: string;
  stream(request: ProviderRequest): AsyncIterable<ModelEvent>;
}

/** A provider as the table in `providers/index.ts` lists it: where its keys and base URL come from. */
export interface ProviderDef extends Provider {
  /** Env vars holding one key, in order of preference (`ANTHROPIC_API_KEY`). */
  keyEnv: readonly string[];
  /** Env vars holding several comma-separated keys, rotated (`ANTHROPIC_API_KEYS`). */
  keysEnv: readonly string[];
  /** Env var overriding the base URL (`ANTHROPIC_BASE_URL`). */
  baseUrlEnv: string;
  defaultBaseUrl: string;
  /** Needs no key (a local server): with none found, requests go out without one. */
  keyless?: boolean;
  /** Whether a model of this provider takes `/think` levels (reasoning effort, thinking budget). */
  reasons?: (model: string) => boolean;
  /** Extra headers on every request (`models.providers.<id>.headers`, e.g. OpenRouter's `HTTP-Referer`). */
  headers?: Record<string, string>;
}

/** A request to the model router: the models to try in order (`provider/model` refs: primary, then fallbacks). */
export interface RoutedRequest {
  models: string[];
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  /** `/think`: passed to each model that reasons (`ProviderDef.reasons`), left out for the others. */
  reasoning?: ReasoningLevel;
  signal?: AbortSignal;
  /** Per-attempt idle timeout; defaults to `agents.defaults.timeoutSeconds` (120 s). */
  timeoutMs?: number;
}

/** Router events: which model answers (`model`, before its first token), then that model's events. */
export type RoutedEvent = ModelEvent | { type: 'model'; ref: string };

/**
 * Picks the key and model (rotating keys, skipping pairs in cooldown, failing over on
 * 401/403/429/5xx/529/network errors/timeouts) and streams the answer. Lives on `ctx.models`.
 *
 * A failure ends the iteration by throwing a `GatewayError`: before the first event, only when
 * every key and model has failed (`UNAVAILABLE`), or at once for a request error such as a 400
 * (`PROVIDER_ERROR`); after the first text or tool call a failure is thrown as it happens, with
 * no failover (the caller has already shown part of the answer). Aborting `signal` throws its reason.
 */
export interface ModelRouter {
  stream(request: RoutedRequest): AsyncIterable<RoutedEvent>;
  /** Cooldowns and recent failovers for `status`; optional so a scripted test router need not have it. */
  status?(): ModelsStatus;
}

export interface CooldownView {
  /** `anthropic/claude-opus-4-5`, or `anthropic/*` when a key is cooling down for all its models. */
  ref: string;
  /** The profile or env var the key came from (never the key). */
  profile: string;
  until: string;
  remainingMs: number;
  reason: string;
  failures: number;
}

export interface FailoverRecord {
  at: string;
  from: string;
  to: string;
  reason: string;
}

export interface ModelsStatus {
  cooldowns: CooldownView[];
  recentFailovers: FailoverRecord[];
}
