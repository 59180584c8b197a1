import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSkillsLoader, scanSkills } from '../../../../src/adapters/node/skills/load';
import { createLogHub, type LogRecord } from '../../../../src/core/log/logger';
import { MAX_PROMPT_SKILLS, skillsPrompt } from '../../../../src/core/skills/prompt';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createScriptedRouter } from '../../../helpers/scripted-router';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/skills', import.meta.url));
let root: string;
let workspace: string;
let stateDir: string;
const config = { skills: { entries: { off: { enabled: false } } } };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'krab-skills-'));
  await cp(FIXTURES, root, { recursive: true });
  workspace = join(root, 'workspace', 'main');
  stateDir = join(root, 'state');
  // A 5 MB SKILL.md is made here, not kept in the repository.
  await cp(join(stateDir, 'skills', 'pdf'), join(stateDir, 'skills', 'huge'), { recursive: true });
  await writeFile(
    join(stateDir, 'skills', 'huge', 'SKILL.md'),
    `---\nname: huge\ndescription: big\n---\n${'x'.repeat(5 * 1024 * 1024)}`,
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('skills (AgentSkills SKILL.md)', () => {
  it('loads the workspace first, then the state dir; skips malformed ones and those turned off', async () => {
    const scan = await scanSkills(workspace, stateDir, config);
    expect(scan.skills.map((s) => [s.name, s.source, s.location])).toEqual([
      ['weather', 'workspace', 'skills/weather/SKILL.md'],
      ['pdf', 'state', 'skills/pdf/SKILL.md'],
    ]);
    expect(scan.skills[0]?.description).toBe('Look up the weather forecast for a place and summarise it.');
    const problems = Object.fromEntries(scan.problems.map((p) => [p.file.slice(root.length), p.problem]));
    expect(problems).toEqual({
      '/workspace/main/skills/broken-yaml/SKILL.md': expect.stringMatching(/^broken YAML front matter: /),
      '/workspace/main/skills/escape/SKILL.md':
        'invalid name "../../etc/passwd": lower-case letters, digits and "-", up to 64',
      '/workspace/main/skills/no-front/SKILL.md':
        'no YAML front matter (the file must start with a --- block)',
      '/state/skills/huge/SKILL.md': 'too large (5.0 MB; a SKILL.md may be 256 KB)',
    });
    expect(scan.skipped.map((s) => [s.name, s.why])).toEqual([
      ['off', 'skills.entries.off.enabled is false'],
      ['weather', 'the workspace has a skills folder of that name'],
    ]);
  });

  it('logs each malformed SKILL.md once, naming the file and the problem', async () => {
    const lines: LogRecord[] = [];
    const clock = createManualClock();
    const hub = createLogHub({ write: (r) => lines.push(r), now: clock.now, debug: false });
    const load = createSkillsLoader({ stateDir, clock, log: hub.logger });
    await load(workspace, config);
    clock.advance(10_000);
    await load(workspace, config);
    expect(lines.map((l) => l.line)).toHaveLength(4);
    expect(lines[0]?.line).toBe(
      `[skills] ${workspace}/skills/broken-yaml/SKILL.md skipped: ${lines[0]?.line.split('skipped: ')[1]}`,
    );
    expect(lines.map((l) => l.line)).toContainEqual(
      `[skills] ${stateDir}/skills/huge/SKILL.md skipped: too large (5.0 MB; a SKILL.md may be 256 KB)`,
    );
  });

  it('the prompt block lists name, description and location, escaped and capped', () => {
    const block = skillsPrompt([
      {
        name: 'pdf',
        description: 'Fill <forms> & more',
        location: 'skills/pdf/SKILL.md',
        source: 'state',
        file: '',
      },
    ]);
    expect(block).toContain(
      '<available_skills>\n<skill>\n<name>pdf</name>\n<description>Fill &lt;forms&gt; &amp; more</description>\n<location>skills/pdf/SKILL.md</location>\n</skill>\n</available_skills>',
    );
    const many = Array.from({ length: 80 }, (_, i) => ({
      name: `s${String(i).padStart(2, '0')}`,
      description: 'd'.repeat(1000),
      location: `skills/s${i}/SKILL.md`,
      source: 'state' as const,
      file: '',
    }));
    const capped = skillsPrompt(many)!;
    expect(capped.length).toBeLessThan(13_000);
    expect((capped.match(/<skill>/g) ?? []).length).toBeLessThanOrEqual(MAX_PROMPT_SKILLS);
    expect(capped).toMatch(/<!-- \d+ more skill\(s\) not listed -->/);
    expect(skillsPrompt([])).toBeUndefined();
  });

  it("goes into an owner turn's system prompt only, never a guest's", async () => {
    const models = createScriptedRouter();
    const ctx = createTestContext({
      config: {
        ...config,
        agents: { defaults: { model: 'test/model', workspace: join(root, 'workspace') } },
      },
      models,
      agentDeps: {
        skills: createSkillsLoader({
          stateDir,
          clock: createManualClock(),
          log: createLogHub({ write: () => {}, now: Date.now, debug: false }).logger,
        }),
      },
    });
    await ctx.agents.runTurn({ message: 'hi', trust: 'owner' });
    await ctx.agents.runTurn({ sessionKey: 'agent:main:test:default:99', message: 'hi' });
    const [owner, guest] = models.requests.map((r) => r.system ?? '');
    expect(owner).toContain('<available_skills>');
    expect(owner).toContain('<location>skills/weather/SKILL.md</location>');
    expect(owner).toContain('<name>pdf</name>');
    expect(owner).not.toContain('<name>off</name>');
    expect(owner).not.toContain('Ask for the place'); // bodies stay on disk
    expect(guest).not.toContain('available_skills');
    expect(guest).not.toContain('weather');
  });
});
