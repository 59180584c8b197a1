import type { KrabConfig } from '../config/schema';
import type { AgentEntry } from '../config/sections/agents';
import type { Logger } from '../log/logger';
import type { ReadWorkspaceFile } from './types';

/** Files in an agent's workspace that become part of its system prompt, in this order. */
export const WORKSPACE_PROMPT_FILES = ['AGENTS.md', 'SOUL.md'] as const;
/** A workspace file longer than this is cut, so one stray file cannot eat the context. */
export const MAX_WORKSPACE_FILE_CHARS = 32_000;

export const DEFAULT_SYSTEM_PROMPT =
  'You are KrabKrab, a helpful personal assistant reached through chat. Answer concisely. Use your tools when they help.';

/**
 * The system prompt: the agent's `systemPrompt` (else `agents.defaults.systemPrompt`, else a
 * short default), then AGENTS.md and SOUL.md from its workspace when they exist, then extra text.
 */
export async function buildSystemPrompt(options: {
  config: KrabConfig;
  entry: AgentEntry;
  workspace: string;
  read?: ReadWorkspaceFile;
  log: Logger;
  extra?: string;
}): Promise<string> {
  const { config, entry, workspace, read, log } = options;
  const parts = [entry.systemPrompt ?? config.agents?.defaults?.systemPrompt ?? DEFAULT_SYSTEM_PROMPT];
  if (read) {
    for (const name of WORKSPACE_PROMPT_FILES) {
      try {
        const text = await read(workspace, name);
        if (text?.trim())
          parts.push(
            text.length > MAX_WORKSPACE_FILE_CHARS ? text.slice(0, MAX_WORKSPACE_FILE_CHARS) : text.trim(),
          );
      } catch (error) {
        log.warn(`could not read ${name} in ${workspace}: ${(error as Error).message}`);
      }
    }
  }
  if (options.extra?.trim()) parts.push(options.extra.trim());
  return parts.join('\n\n');
}
