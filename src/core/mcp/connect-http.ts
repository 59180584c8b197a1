import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { errorText } from './manager';
import { openSession } from './session';
import type { ConnectOptions, McpConnection, McpServerConfig } from './types';

/**
 * A Streamable HTTP session (Node and Workers); a server that refuses it with anything but an
 * authorization failure is tried with the older HTTP+SSE transport, as the SDK documents.
 */
export async function connectHttp(
  name: string,
  server: McpServerConfig,
  options: ConnectOptions,
): Promise<McpConnection> {
  const url = new URL(server.url as string);
  const requestInit: RequestInit = { headers: server.headers ?? {} };
  const { StreamableHTTPClientTransport } = await import(
    '@modelcontextprotocol/sdk/client/streamableHttp.js'
  );
  const session = (transport: Transport) =>
    openSession({
      server: name,
      transport,
      filter: server.tools,
      timeoutMs: options.timeoutMs,
      onClose: options.onClose,
    });
  try {
    return await session(new StreamableHTTPClientTransport(url, { requestInit }));
  } catch (error) {
    const status = (error as { code?: unknown }).code;
    if (status === 401 || status === 403)
      throw new Error(
        `HTTP ${status}: the server refused the credentials (check mcp.servers.${name}.headers)`,
      );
    const first = errorText(error);
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    try {
      return await session(new SSEClientTransport(url, { requestInit }));
    } catch (fallback) {
      throw new Error(`Streamable HTTP: ${first}; SSE: ${errorText(fallback)}`);
    }
  }
}
