import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KrabConfig } from '../../../core/config/schema';
import type { Logger } from '../../../core/log/logger';
import type { Clock } from '../../../core/runtime/clock';
import { MAX_SKILL_BYTES, parseSkill } from '../../../core/skills/parse';
import type { LoadedSkill } from '../../../core/skills/prompt';

/** Folders looked at per skills directory (a bounded scan, whatever is in there). */
const MAX_FOLDERS = 200;
/** Skills are re-read at most this often (a turn does not rescan the disk). */
const CACHE_MS = 5_000;

export interface SkillProblem {
  file: string;
  problem: string;
}

export interface SkillScan {
  skills: LoadedSkill[];
  problems: SkillProblem[];
  /** Turned off by `skills.entries.<name>.enabled: false`, or shadowed by a workspace skill. */
  skipped: Array<{ name: string; file: string; why: string }>;
}

/**
 * The skills of one workspace: `<workspace>/skills/*\/SKILL.md` first, then
 * `$STATE_DIR/skills/*\/SKILL.md` for names (and folders) the workspace does not have. Only real
 * folders are read (no symlinks), nothing is ever fetched.
 */
export async function scanSkills(
  workspace: string,
  stateDir: string,
  config: KrabConfig,
): Promise<SkillScan> {
  const scan: SkillScan = { skills: [], problems: [], skipped: [] };
  const folders = new Set<string>();
  for (const [root, source] of [
    [workspace, 'workspace'],
    [stateDir, 'state'],
  ] as const) {
    for (const folder of await skillFolders(join(root, 'skills'))) {
      const file = join(root, 'skills', folder, 'SKILL.md');
      if (folders.has(folder)) {
        scan.skipped.push({ name: folder, file, why: 'the workspace has a skills folder of that name' });
        continue;
      }
      const loaded = await readSkill(file);
      if (loaded === undefined) continue;
      if ('problem' in loaded) {
        scan.problems.push({ file, problem: loaded.problem });
        continue;
      }
      folders.add(folder);
      const { name, description } = loaded;
      if (scan.skills.some((skill) => skill.name === name)) {
        scan.skipped.push({ name, file, why: 'a workspace skill has the same name' });
        continue;
      }
      if (config.skills?.entries?.[name]?.enabled === false) {
        scan.skipped.push({ name, file, why: `skills.entries.${name}.enabled is false` });
        continue;
      }
      scan.skills.push({ name, description, location: `skills/${folder}/SKILL.md`, source, file });
    }
  }
  return scan;
}

async function skillFolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort()
      .slice(0, MAX_FOLDERS);
  } catch {
    return [];
  }
}

/** undefined when the folder has no SKILL.md (not a skill, not a problem). */
async function readSkill(
  file: string,
): Promise<{ name: string; description: string } | { problem: string } | undefined> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: 'SKILL.md is not a file' };
    size = info.size;
  } catch {
    return undefined;
  }
  if (size > MAX_SKILL_BYTES)
    return {
      problem: `too large (${(size / 1024 / 1024).toFixed(1)} MB; a SKILL.md may be ${MAX_SKILL_BYTES / 1024} KB)`,
    };
  const parsed = await parseSkill(await readFile(file, 'utf8'));
  return parsed.ok ? parsed.skill : { problem: parsed.problem };
}

/**
 * The agent runtime's skills lookup: scans at most every 5 s per workspace, and logs each
 * malformed SKILL.md once (one line naming the file and the problem), not on every turn.
 */
export function createSkillsLoader(deps: {
  stateDir: string;
  clock: Clock;
  log: Logger;
}): (workspace: string, config: KrabConfig) => Promise<LoadedSkill[]> {
  const log = deps.log.scope('skills');
  const cache = new Map<string, { at: number; config: KrabConfig; skills: Promise<LoadedSkill[]> }>();
  const reported = new Set<string>();
  return (workspace, config) => {
    const hit = cache.get(workspace);
    if (hit && hit.config === config && deps.clock.now() - hit.at < CACHE_MS) return hit.skills;
    const skills = scanSkills(workspace, deps.stateDir, config).then((scan) => {
      for (const { file, problem } of scan.problems) {
        const key = `${file}\n${problem}`;
        if (reported.has(key)) continue;
        reported.add(key);
        log.warn(`${file} skipped: ${problem}`);
      }
      return scan.skills;
    });
    cache.set(workspace, { at: deps.clock.now(), config, skills });
    return skills;
  };
}
