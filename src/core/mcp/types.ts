import type { McpServerConfig } from '../config/sections/mcp';

export type { McpServerConfig };

/** One tool as its server describes it (already checked: a usable name and an object input schema). */
export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** What a tool call answers, as the protocol's `CallToolResult` (fields unchecked beyond their shape). */
export interface McpCallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** A live session with one server. */
export interface McpConnection {
  tools: McpToolInfo[];
  /** Tools the server listed that cannot be offered, each with why (logged once per connection). */
  skipped: string[];
  call(
    tool: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<McpCallResult>;
  close(): Promise<void>;
  /** The stdio server's process id. */
  pid?: number;
}

export interface ConnectOptions {
  timeoutMs: number;
  /** Called once when the session ends by itself (the process exited, the stream closed). */
  onClose(reason: string): void;
}

/** Opens sessions: stdio on Node (child processes), Streamable HTTP everywhere. */
export type McpConnector = (
  name: string,
  server: McpServerConfig,
  options: ConnectOptions,
) => Promise<McpConnection>;

export type McpServerState = 'disabled' | 'connecting' | 'ready' | 'retrying' | 'unsupported' | 'stopped';

/** One server in `status.mcp` and `krabkrab mcp list`. */
export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'http';
  state: McpServerState;
  tools: string[];
  lastError?: string;
  restarts: number;
  pid?: number;
  since: number;
}
