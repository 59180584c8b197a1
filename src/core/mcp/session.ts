import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { VERSION } from '../version';
import * as z from '../zod';
import { checkTools, type ToolFilter } from './tool-list';
import type { McpCallResult, McpConnection } from './types';

/** Pages of `tools/list` read at most (a server paging forever must not hang a connect). */
const MAX_PAGES = 20;

// Loose on purpose: each tool is checked on its own (a malformed one is skipped, not the whole list),
// and results are mapped field by field. The SDK's strict schemas would reject the server instead.
const ListToolsAnswer = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });
const CallToolAnswer = z.looseObject({
  content: z.array(z.unknown()).optional(),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
});

/**
 * Opens an MCP session over `transport` with the official SDK's `Client` (imported here, on the
 * first connect, never at start): initialize, then list the tools, all within `timeoutMs`.
 */
export async function openSession(input: {
  server: string;
  transport: Transport;
  filter: ToolFilter | undefined;
  timeoutMs: number;
  onClose(reason: string): void;
  pid?: () => number | undefined;
}): Promise<McpConnection> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client({ name: 'krabkrab', version: VERSION });
  let closing = false;
  let lastError: string | undefined;
  // Remembered apart from lastError: the close that follows an oversized message reports errors
  // of its own, which would hide why the call failed.
  let oversized = false;
  client.onerror = (error) => {
    lastError = error.message;
    if (error.message.includes('ReadBuffer exceeded')) oversized = true;
  };
  let open = false;
  // Before the session is open a failure is reported by the rejected connect, not as a close.
  client.onclose = () => {
    if (open && !closing) input.onClose(lastError ?? 'closed');
  };
  const close = async () => {
    closing = true;
    await client.close();
  };
  try {
    await client.connect(input.transport, { timeout: input.timeoutMs });
    const listed: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.request(
        { method: 'tools/list', params: cursor ? { cursor } : {} },
        ListToolsAnswer,
        { timeout: input.timeoutMs },
      );
      listed.push(...answer.tools);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    const { tools, skipped } = checkTools(input.server, listed, input.filter);
    const pid = input.pid?.();
    open = true;
    return {
      tools,
      skipped,
      ...(pid ? { pid } : {}),
      close,
      async call(tool, args, options) {
        try {
          const answer = await client.request(
            { method: 'tools/call', params: { name: tool, arguments: args } },
            CallToolAnswer,
            { timeout: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
          );
          return answer as McpCallResult;
        } catch (error) {
          // The SDK's stdio transport drops a message over 10 MB and the session with it.
          if (oversized)
            throw new Error(
              'the answer was larger than the 10 MB a stdio message may be; the server is restarted',
            );
          throw error;
        }
      },
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
