import { GatewayError } from '../errors';
import type { ImagePart, ToolCall } from '../providers/types';
import { formatIssues } from '../zod-issues';
import { type AgentTool, type ToolContext, ToolImages } from './tools/types';

/** Longest arguments a tool call may have (a 1 MiB file written, escaped as JSON, fits); longer ones are refused unparsed. */
export const MAX_TOOL_ARGUMENT_CHARS = 4 * 1024 * 1024;

/** Longest tool result handed back to the model; longer ones are cut with a note. */
export const MAX_TOOL_RESULT_CHARS = 16_000;

export interface ToolOutcome {
  args: unknown;
  result: unknown;
  content: string;
  isError: boolean;
  images?: ImagePart[];
}

/**
 * Runs one tool call. Whatever goes wrong (unknown tool, arguments that are not JSON or do not
 * fit the schema, the tool throwing) becomes an error result for the model, never a crashed run.
 */
export async function runToolCall(
  call: ToolCall,
  tools: ReadonlyMap<string, AgentTool>,
  toolCtx: ToolContext,
): Promise<ToolOutcome> {
  const tool = tools.get(call.name);
  // A tool the policy did not offer (unknown, denied, owner-only in a guest turn) is refused the same way.
  if (!tool)
    return failure(
      call.arguments,
      `tool ${JSON.stringify(call.name)} is not available in this session; available: ${[...tools.keys()].join(', ') || 'none'}`,
    );
  if (call.arguments.length > MAX_TOOL_ARGUMENT_CHARS)
    return failure(
      `(${call.arguments.length} characters)`,
      `the arguments are ${call.arguments.length} characters long, over the limit of ${MAX_TOOL_ARGUMENT_CHARS}; send less at once`,
    );
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return failure(call.arguments, `arguments are not valid JSON: ${call.arguments.slice(0, 200)}`);
  }
  const parsed = tool.parameters.safeParse(args);
  if (!parsed.success) {
    return failure(args, `invalid arguments: ${formatIssues(parsed.error.issues)}`);
  }
  try {
    const result = await tool.run(parsed.data, toolCtx);
    if (result instanceof ToolImages)
      return {
        args,
        result: { text: result.text },
        content: clip(result.text),
        isError: false,
        images: result.images,
      };
    return {
      args,
      result,
      content: clip(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
      isError: false,
    };
  } catch (error) {
    const message = error instanceof GatewayError ? error.message : 'the tool failed';
    if (!(error instanceof GatewayError))
      toolCtx.ctx.log.scope('agent').error(`tool ${call.name} failed`, error);
    return failure(args, message);
  }
}

function failure(args: unknown, message: string): ToolOutcome {
  return { args, result: { error: message }, content: `error: ${message}`, isError: true };
}

function clip(text: string): string {
  return text.length <= MAX_TOOL_RESULT_CHARS
    ? text
    : `${text.slice(0, MAX_TOOL_RESULT_CHARS)}… [cut: ${text.length} chars]`;
}
