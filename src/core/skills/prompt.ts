import { escapeMarkup } from '../markup-escape';

/** A loaded skill as the prompt, `skills list` and status show it. */
export interface LoadedSkill {
  name: string;
  description: string;
  /** The path the `read` tool takes (`skills/<folder>/SKILL.md`, relative to the workspace). */
  location: string;
  /** Where it was found. */
  source: 'workspace' | 'state';
  /** The file on disk. */
  file: string;
}

/** At most this many skills are listed, and their block stays under MAX_BLOCK_CHARS. */
export const MAX_PROMPT_SKILLS = 50;
export const MAX_BLOCK_CHARS = 12_000;
const MAX_PROMPT_DESCRIPTION = 300;

/**
 * The owner turn's `<available_skills>` block: name, description and location of each skill, in
 * name order, capped (MAX_PROMPT_SKILLS skills, descriptions cut at 300 characters, MAX_BLOCK_CHARS
 * in all); the bodies stay on disk for the model to `read` when a task calls for one.
 */
export function skillsPrompt(skills: LoadedSkill[]): string | undefined {
  if (skills.length === 0) return undefined;
  const sorted = [...skills].sort((a, b) => a.name.localeCompare(b.name));
  const entries: string[] = [];
  let size = 0;
  for (const skill of sorted.slice(0, MAX_PROMPT_SKILLS)) {
    const description =
      skill.description.length > MAX_PROMPT_DESCRIPTION
        ? `${skill.description.slice(0, MAX_PROMPT_DESCRIPTION)}…`
        : skill.description;
    const entry = `<skill>\n<name>${escapeMarkup(skill.name)}</name>\n<description>${escapeMarkup(description)}</description>\n<location>${escapeMarkup(skill.location)}</location>\n</skill>`;
    if (size + entry.length > MAX_BLOCK_CHARS) break;
    entries.push(entry);
    size += entry.length;
  }
  const left = skills.length - entries.length;
  return [
    "Skills are guides for specific tasks, installed by your owner. When a task matches a skill's description, read its SKILL.md with the `read` tool (at the location given) before you start, and follow it as far as it fits the request.",
    '<available_skills>',
    ...entries,
    ...(left > 0 ? [`<!-- ${left} more skill(s) not listed -->`] : []),
    '</available_skills>',
  ].join('\n');
}
