/** A skill as the prompt lists it; `meta` keeps the other front-matter keys (unused for now). */
export interface Skill {
  name: string;
  description: string;
  meta: Record<string, unknown>;
}

/** Largest SKILL.md read (front matter and body): a skill is a short guide, not a data file. */
export const MAX_SKILL_BYTES = 256 * 1024;
const MAX_DESCRIPTION = 1024;
/** The AgentSkills rule: lower-case letters, digits and hyphens, up to 64 characters. */
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export type SkillParse = { ok: true; skill: Skill } | { ok: false; problem: string };

/**
 * Reads a SKILL.md: YAML front matter with `name` and `description` (both required), then the
 * Markdown body (left on disk: the model reads it with `read` when it needs it). The YAML parser
 * is loaded on the first skill, never at start.
 */
export async function parseSkill(text: string): Promise<SkillParse> {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { ok: false, problem: 'no YAML front matter (the file must start with a --- block)' };
  const yaml = await import('yaml');
  // The bundle loads yaml's CommonJS build, whose exports sit on `default`.
  const parse = yaml.parse ?? (yaml as unknown as { default: typeof yaml }).default.parse;
  let data: unknown;
  try {
    data = parse(match[1] ?? '', { maxAliasCount: 10 });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { ok: false, problem: `broken YAML front matter: ${message}` };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, problem: 'the front matter is not a set of keys' };
  const { name, description, ...meta } = data as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '')
    return { ok: false, problem: 'no name in the front matter' };
  if (!NAME.test(name))
    return {
      ok: false,
      problem: `invalid name ${JSON.stringify(name.slice(0, 80))}: lower-case letters, digits and "-", up to 64`,
    };
  if (typeof description !== 'string' || description.trim() === '')
    return { ok: false, problem: 'no description in the front matter' };
  return {
    ok: true,
    skill: { name, description: oneLine(description).slice(0, MAX_DESCRIPTION), meta },
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
