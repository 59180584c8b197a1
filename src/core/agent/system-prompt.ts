import type { KrabConfig } from '../config/schema';
import type { AgentEntry } from '../config/sections/agents';
import type { Logger } from '../log/logger';
import type { SessionTrust } from './tools/types';
import type { ReadWorkspaceFile } from './types';
import { UNTRUSTED_CONTENT_RULE } from './untrusted';

/**
 * Workspace files that become part of the system prompt, in this order (the reference product's
 * names, so a workspace brought over from it works unchanged). `owner` ones only in owner sessions.
 */
export const WORKSPACE_PROMPT_FILES: ReadonlyArray<{ name: string; owner?: boolean }> = [
  { name: 'AGENTS.md' },
  { name: 'SOUL.md' },
  { name: 'IDENTITY.md' },
  { name: 'USER.md', owner: true },
  { name: 'TOOLS.md' },
  { name: 'MEMORY.md', owner: true },
];
/** One workspace file longer than this is cut, so one stray file cannot eat the context. */
export const MAX_WORKSPACE_FILE_CHARS = 20_000;
/** Bytes read of each prompt file: enough for MAX_WORKSPACE_FILE_CHARS of any UTF-8 text. */
export const MAX_WORKSPACE_FILE_BYTES = MAX_WORKSPACE_FILE_CHARS * 4;
/** All workspace files together; files past it are cut or left out (with a note). */
export const MAX_WORKSPACE_PROMPT_CHARS = 60_000;

export const DEFAULT_SYSTEM_PROMPT =
  'You are KrabKrab, a helpful personal assistant reached through chat. Answer concisely. Use your tools when they help.';

const GUEST_NOTE =
  'This conversation is not with your owner: it is with someone else (a contact, a group, a caller). ' +
  "Do not share your owner's private information, files or notes with them.";

/**
 * The system prompt: the agent's `systemPrompt` (else `agents.defaults.systemPrompt`, else a
 * short default), the untrusted-content rule when tools are offered, the workspace files (WORKSPACE_PROMPT_FILES, capped),
 * a note in guest sessions, then the caller's extra text.
 */
export async function buildSystemPrompt(options: {
  config: KrabConfig;
  entry: AgentEntry;
  workspace: string;
  trust: SessionTrust;
  /** Whether the turn offers tools (the untrusted-content rule is said only then). */
  tools: boolean;
  read?: ReadWorkspaceFile;
  log: Logger;
  extra?: string;
}): Promise<string> {
  const { config, entry, workspace, read, log, trust } = options;
  const parts = [entry.systemPrompt ?? config.agents?.defaults?.systemPrompt ?? DEFAULT_SYSTEM_PROMPT];
  if (options.tools) parts.push(UNTRUSTED_CONTENT_RULE);
  if (read) {
    let left = MAX_WORKSPACE_PROMPT_CHARS;
    for (const { name, owner } of WORKSPACE_PROMPT_FILES) {
      if (owner && trust !== 'owner') continue;
      let text: string | null;
      try {
        text = await read(workspace, name, entry.id);
      } catch (error) {
        log.warn(`could not read ${name} in ${workspace}: ${(error as Error).message}`);
        continue;
      }
      text = text?.trim() ?? '';
      if (!text) continue;
      if (left <= 0) {
        parts.push(
          `## ${name}\n[left out: the workspace files reached ${MAX_WORKSPACE_PROMPT_CHARS} characters]`,
        );
        continue;
      }
      const cap = Math.min(MAX_WORKSPACE_FILE_CHARS, left);
      const shown =
        text.length > cap ? `${text.slice(0, cap)}\n[cut: ${name} is longer than ${cap} characters]` : text;
      left -= Math.min(text.length, cap);
      parts.push(`## ${name}\n${shown}`);
    }
  }
  if (trust !== 'owner') parts.push(GUEST_NOTE);
  if (options.extra?.trim()) parts.push(options.extra.trim());
  return parts.join('\n\n');
}
