import { GatewayError } from '../../../errors';
import type { WorkspaceFs } from '../../../workspace/types';
import type { ToolContext } from '../types';

/** Largest file `write` and `edit` produce: 1 MiB. */
export const MAX_WRITE_BYTES = 1024 * 1024;
/** How much of a file `read` looks at: the first 4 MiB (a note says when a file is longer). */
export const MAX_READ_FILE_BYTES = 4 * 1024 * 1024;
/** Lines `read` returns when no `limit` is given, and at most. */
export const DEFAULT_READ_LINES = 400;
export const MAX_READ_LINES = 2000;
/** Characters of file text one `read` returns (under the tool result cap, with room for the notes). */
export const MAX_READ_CHARS = 14_000;

/** Guests never reach the workspace files: not even `tools.guests.allow` offers these tools to them. */
export const FILES_NEVER_GUEST = "guests never reach the owner's workspace files";

/** The turn's workspace; the runtime always sets it, so its absence is a wiring bug named plainly. */
export function workspaceOf(toolCtx: Pick<ToolContext, 'trust' | 'workspace'>): WorkspaceFs {
  // Defence in depth: the policy never offers file tools to guests.
  if (toolCtx.trust !== 'owner')
    throw new GatewayError('FORBIDDEN', 'workspace files are for the owner only');
  if (!toolCtx.workspace) throw new GatewayError('UNAVAILABLE', 'this gateway has no workspace files');
  return toolCtx.workspace;
}

const encoder = new TextEncoder();

/** Refuses content over MAX_WRITE_BYTES, by its length first so a huge string is never encoded. */
export function checkWriteSize(content: string): void {
  // A string of n UTF-16 units is at least n bytes in UTF-8: too long is too big without encoding it.
  if (content.length > MAX_WRITE_BYTES || encoder.encode(content).length > MAX_WRITE_BYTES) {
    throw new GatewayError(
      'PAYLOAD_TOO_LARGE',
      `the content is larger than ${MAX_WRITE_BYTES} bytes (1 MiB), the limit for one file: write less, or split it into several files`,
    );
  }
}
