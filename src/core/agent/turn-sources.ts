import type { KrabConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import { skillsPrompt } from '../skills/prompt';
import type { AgentTool } from './tools/types';
import type { AgentRuntimeDeps } from './types';

/** The tools of every registered source (MCP); a failing source is skipped, not the turn. */
export function collectSourceTools(sources: AgentRuntimeDeps['toolSources'], log: Logger): AgentTool[] {
  const tools: AgentTool[] = [];
  for (const source of sources ?? []) {
    try {
      tools.push(...source());
    } catch (error) {
      log.error('a tool source failed; its tools are left out of this turn', error);
    }
  }
  return tools;
}

/** The owner turn's `<available_skills>` block; a failing scan leaves it out, not the turn. */
export async function skillsBlock(
  skills: AgentRuntimeDeps['skills'],
  workspace: string,
  config: KrabConfig,
  log: Logger,
): Promise<string | undefined> {
  if (!skills) return undefined;
  try {
    return skillsPrompt(await skills(workspace, config));
  } catch (error) {
    log.error('skills could not be listed; they are left out of this turn', error);
    return undefined;
  }
}
