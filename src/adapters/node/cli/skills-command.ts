import { agentEntries, agentWorkspace } from '../../../core/agent/agents-config';
import type { KrabConfig } from '../../../core/config/schema';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { scanSkills } from '../skills/load';
import type { Command } from './command';
import { statePaths } from './state-options';

/** `krabkrab skills list`: what each agent's owner turns list, from where, and what was skipped and why. */
export const skillsCommand: Command = {
  summary: 'List the skills each agent sees (workspace and state dir), and the SKILL.md files skipped',
  usage: 'skills list [--json] [--state-dir DIR]',
  options: { json: { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals[0] !== 'list' || positionals.length > 1)
      throw new CliError('usage: krabkrab skills list [--json]', EXIT.USAGE);
    const { stateDir, configPath } = statePaths(values, io.env);
    const loaded = await readConfigFile(configPath, io.env);
    if (loaded.ok !== 'missing' && !loaded.ok)
      throw new CliError(`the config at ${configPath} is invalid: run krabkrab doctor`);
    const config: KrabConfig = loaded.ok === true ? loaded.value.config : {};
    const agents = await Promise.all(
      agentEntries(config).map(async (entry) => {
        const workspace = agentWorkspace(config, entry, stateDir);
        return { agentId: entry.id, workspace, ...(await scanSkills(workspace, stateDir, config)) };
      }),
    );
    if (values.json) {
      io.stdout(`${JSON.stringify({ agents }, null, 2)}\n`);
      return EXIT.OK;
    }
    for (const agent of agents) {
      io.stdout(`agent ${agent.agentId} (workspace ${agent.workspace}): ${agent.skills.length} skill(s)\n`);
      for (const skill of agent.skills)
        io.stdout(`  ${skill.name}  [${skill.source}] ${skill.file}\n    ${skill.description}\n`);
      for (const skip of agent.skipped) io.stdout(`  skipped ${skip.name}: ${skip.why} (${skip.file})\n`);
      for (const problem of agent.problems) io.stdout(`  malformed ${problem.file}: ${problem.problem}\n`);
    }
    return EXIT.OK;
  },
};
