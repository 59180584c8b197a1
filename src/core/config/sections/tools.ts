import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';
import { execToolsSection } from './tools-exec';
import { webToolsSection } from './tools-web';

/**
 * Tool names for allow/deny lists: a tool name, or a pattern with `*` (`"files__*"`: the MCP
 * server `files`'s tools, as `<server>__<tool>`; `"*__*"`: every MCP tool; `"*"`).
 * Names are matched case-insensitively.
 */
const toolNameList = lazySchema(() =>
  z.array(
    z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.:*-]+$/, 'expected a tool name or a pattern with *, e.g. "read" or "files__*"'),
  ),
);

/** Per-list allow/deny, as `tools` and `agents.list[].tools` take them. Deny wins. */
export const toolAllowDeny = lazySchema(() =>
  z.strictObject({
    /** Tools added on top of the profile. */
    allow: toolNameList.optional(),
    /** Tools removed, whatever else says (deny wins). */
    deny: toolNameList.optional(),
  }),
);

/**
 * `tools`: which tools the agents are offered. `profile` (default `full`) sets the base for
 * owner sessions; guests get the guest-safe tools (plus `guests.allow`, minus `guests.deny`)
 * among the owner's, never `exec`.
 */
export const toolsSection = lazySchema(() =>
  z.strictObject({
    profile: z.enum(['minimal', 'messaging', 'full']).optional(),
    allow: toolNameList.optional(),
    deny: toolNameList.optional(),
    guests: toolAllowDeny.optional(),
    /** `exec`: its mode, allowlist, approval timeout and extra env (tools-exec.ts). */
    exec: execToolsSection.optional(),
    /** `web_fetch` and `web_search` (tools-web.ts). */
    web: webToolsSection.optional(),
  }),
);

/**
 * `owners`: the senders whose sessions are owner sessions, as `"<channel>:<senderId>"`
 * (`"telegram:123456789"`, `"whatsapp:+15551234567"`). Ids, not usernames: a username can change hands.
 */
export const ownersSection = lazySchema(() =>
  z.array(
    z
      .string()
      .regex(
        /^[a-z0-9_-]+:\S+$/,
        'expected "<channel>:<senderId>", e.g. "telegram:123456789" or "whatsapp:+15551234567"',
      ),
  ),
);
