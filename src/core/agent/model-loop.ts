import { GatewayError } from '../errors';
import type { ReasoningLevel } from '../providers/reasoning';
import type { ChatMessage, ModelRouter, ToolCall, ToolSpec, Usage } from '../providers/types';
import { sumUsage } from '../usage/counts';
import { MAX_TOOL_ARGUMENT_CHARS, runToolCall } from './run-tool';
import type { AgentTool, ToolContext } from './tools/types';
import { toolJsonSchema } from './tools/types';
import type { AgentEvent } from './types';

/** Model calls that end in tool calls, at most, before the run stops asking. */
export const MAX_TOOL_ROUNDS = 8;

export interface ModelLoopInput {
  router: ModelRouter;
  models: string[];
  system: string;
  /** History plus the new user message. */
  messages: ChatMessage[];
  tools: readonly AgentTool[];
  toolCtx: ToolContext;
  signal: AbortSignal;
  emit(event: AgentEvent): void;
  /** `/think`: the session's reasoning level (each provider maps it, or leaves it out). */
  reasoning?: ReasoningLevel;
}

export interface ModelLoopResult {
  text: string;
  /** Assistant and tool messages this turn added, in order (always with matching tool pairs). */
  added: ChatMessage[];
  model?: string;
  usage: Usage;
}

/** Thrown when a run is aborted; carries what was said so far. */
export class RunAbortedError extends GatewayError {
  constructor(readonly partial: ModelLoopResult) {
    super('CONFLICT', 'the run was aborted', { details: { aborted: true } });
  }
}

export function isAbortedError(error: unknown): error is RunAbortedError {
  return error instanceof RunAbortedError;
}

/**
 * Calls the model, runs the tools it asks for, hands their results back, and repeats until it
 * answers in text or MAX_TOOL_ROUNDS tool rounds have run.
 */
export async function runModelLoop(input: ModelLoopInput): Promise<ModelLoopResult> {
  const { router, models, system, tools, toolCtx, signal, emit } = input;
  const messages = [...input.messages];
  const toolMap = new Map(tools.map((tool) => [tool.name, tool]));
  const specs: ToolSpec[] = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: toolJsonSchema(tool),
  }));
  const added: ChatMessage[] = [];
  const texts: string[] = [];
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let model: string | undefined;
  const result = (partial = ''): ModelLoopResult => ({
    text: [...texts, partial].filter((text) => text.trim()).join('\n\n'),
    added,
    usage,
    ...(model ? { model } : {}),
  });

  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    let text = '';
    const calls: ToolCall[] = [];
    try {
      for await (const event of router.stream({
        models,
        system,
        messages,
        ...(specs.length ? { tools: specs } : {}),
        ...(input.reasoning ? { reasoning: input.reasoning } : {}),
        signal,
      })) {
        if (signal.aborted) break;
        if (event.type === 'model') {
          model = event.ref;
          emit({ type: 'model', ref: event.ref });
        } else if (event.type === 'text') {
          text += event.delta;
          emit({ type: 'delta', text: event.delta });
        } else if (event.type === 'tool_call') {
          calls.push(event.call);
        } else {
          Object.assign(usage, sumUsage(usage, event.usage));
        }
      }
    } catch (error) {
      if (signal.aborted) throw new RunAbortedError(result(text));
      throw error;
    }
    if (signal.aborted) throw new RunAbortedError(result(text));
    const assistant: ChatMessage = {
      role: 'assistant',
      content: text,
      ...(calls.length ? { toolCalls: calls.map(keepable) } : {}),
    };
    messages.push(assistant);
    added.push(assistant);
    if (text.trim()) texts.push(text);
    if (calls.length === 0) return result();

    const limitReached = round === MAX_TOOL_ROUNDS;
    for (const call of calls) {
      if (limitReached) {
        added.push({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: 'error: tool round limit reached',
          isError: true,
        });
        continue;
      }
      const started = toolCtx.ctx.clock.now();
      const outcome = await runToolCall(call, toolMap, toolCtx);
      emit({
        type: 'tool',
        name: call.name,
        args: outcome.args,
        result: outcome.result,
        ...(outcome.isError ? { isError: true } : {}),
        durationMs: toolCtx.ctx.clock.now() - started,
      });
      const message: ChatMessage = {
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: outcome.content,
        ...(outcome.isError ? { isError: true } : {}),
        ...(outcome.images ? { images: outcome.images } : {}),
      };
      messages.push(message);
      added.push(message);
    }
    if (limitReached) {
      texts.push(`(stopped after ${MAX_TOOL_ROUNDS} rounds of tool calls)`);
      return result();
    }
  }
  return result();
}

/** A call whose arguments are refused as too long is kept in the transcript without them, so later turns stay sendable. */
function keepable(call: ToolCall): ToolCall {
  if (call.arguments.length <= MAX_TOOL_ARGUMENT_CHARS) return call;
  return {
    ...call,
    arguments: JSON.stringify({ refused: `${call.arguments.length} characters of arguments` }),
  };
}
