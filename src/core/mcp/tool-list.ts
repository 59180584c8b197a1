import type { McpToolInfo } from './types';

/** Providers accept tool names of `[A-Za-z0-9_-]{1,64}`; ours are `<server>__<tool>`. */
const MAX_NAME = 64;
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;
/** More than this many tools from one server is likely a mistake and breaks providers' limits (OpenAI: 128 in all). */
export const MAX_TOOLS_PER_SERVER = 100;
const MAX_DESCRIPTION = 2_000;

export interface ToolFilter {
  include?: string[] | undefined;
  exclude?: string[] | undefined;
}

/**
 * Checks a server's `tools/list` answer tool by tool: one with a malformed name or input schema is
 * skipped (with why), never the whole server. Applies `tools.include` / `tools.exclude` and the cap.
 */
export function checkTools(
  server: string,
  listed: unknown[],
  filter: ToolFilter = {},
): { tools: McpToolInfo[]; skipped: string[] } {
  const tools: McpToolInfo[] = [];
  const skipped: string[] = [];
  const include = filter.include && new Set(filter.include);
  const exclude = new Set(filter.exclude ?? []);
  for (const entry of listed) {
    const tool = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const name = typeof tool.name === 'string' ? tool.name : undefined;
    if (name === undefined) {
      skipped.push('a tool without a name');
      continue;
    }
    if ((include && !include.has(name)) || exclude.has(name)) continue;
    const problem = nameProblem(server, name) ?? schemaProblem(tool.inputSchema);
    if (problem) {
      skipped.push(`${JSON.stringify(name.slice(0, 80))}: ${problem}`);
      continue;
    }
    tools.push({
      name,
      description: typeof tool.description === 'string' ? tool.description.slice(0, MAX_DESCRIPTION) : '',
      inputSchema: tool.inputSchema as Record<string, unknown>,
    });
  }
  if (tools.length > MAX_TOOLS_PER_SERVER) {
    skipped.push(
      `${tools.length - MAX_TOOLS_PER_SERVER} of ${tools.length} tools left out (at most ${MAX_TOOLS_PER_SERVER} per server: choose with tools.include)`,
    );
    tools.length = MAX_TOOLS_PER_SERVER;
  }
  return { tools, skipped };
}

function nameProblem(server: string, name: string): string | undefined {
  if (!SAFE_NAME.test(name)) return 'the name has characters other than letters, digits, "_" and "-"';
  if (server.length + 2 + name.length > MAX_NAME)
    return `"${server}__${name}" is longer than ${MAX_NAME} characters`;
  return undefined;
}

function schemaProblem(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema))
    return 'malformed input schema (not an object)';
  const { type, properties } = schema as Record<string, unknown>;
  if (type !== 'object') return `malformed input schema (type ${JSON.stringify(type)}, expected "object")`;
  if (
    properties !== undefined &&
    (!properties || typeof properties !== 'object' || Array.isArray(properties))
  )
    return 'malformed input schema (properties is not an object)';
  return undefined;
}

/** The name the model sees. */
export function qualifiedName(server: string, tool: string): string {
  return `${server}__${tool}`;
}
