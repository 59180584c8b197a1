import { connectHttp } from '../../../core/mcp/connect-http';
import { openSession } from '../../../core/mcp/session';
import type { ConnectOptions, McpConnection, McpServerConfig } from '../../../core/mcp/types';

/** Kept from a stdio server's stderr, to say why it would not start. */
const STDERR_TAIL = 400;

/** Node's connector: stdio servers as child processes, URL servers over HTTP. */
export function connectNode(
  name: string,
  server: McpServerConfig,
  options: ConnectOptions,
): Promise<McpConnection> {
  return server.command ? connectStdio(name, server, options) : connectHttp(name, server, options);
}

/**
 * Starts the server's process with the SDK's stdio transport. Its environment is the SDK's safe
 * default (PATH, HOME, USER, SHELL, TERM, LOGNAME) plus the server's own `env`: no gateway secret.
 */
async function connectStdio(
  name: string,
  server: McpServerConfig,
  options: ConnectOptions,
): Promise<McpConnection> {
  const { StdioClientTransport, getDefaultEnvironment } = await import(
    '@modelcontextprotocol/sdk/client/stdio.js'
  );
  const transport = new StdioClientTransport({
    command: server.command as string,
    args: server.args ?? [],
    env: { ...getDefaultEnvironment(), ...server.env },
    ...(server.cwd ? { cwd: server.cwd } : {}),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  const lastWords = () => {
    const line = stderr.trim().split('\n').at(-1)?.trim();
    return line ? ` (stderr: ${line})` : '';
  };
  try {
    return await openSession({
      server: name,
      transport,
      filter: server.tools,
      timeoutMs: options.timeoutMs,
      onClose: (reason) => options.onClose(`${reason}${lastWords()}`),
      pid: () => transport.pid ?? undefined,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT')
      throw new Error(`${server.command}: command not found (is it installed and on PATH?)`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}${lastWords()}`);
  }
}
