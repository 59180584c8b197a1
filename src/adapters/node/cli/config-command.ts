import { readFile } from 'node:fs/promises';
import { parseConfigText } from '../../../core/config/parse';
import { formatProblem } from '../../../core/config/problems';
import { configJsonSchema } from '../../../core/config/schema';
import { CliError, EXIT } from '../exit-codes';
import type { Command } from './command';
import { configGet, configSet, configUnset } from './config-edit';
import { STATE_DIR_OPTION, statePaths } from './state-options';

const SUBCOMMANDS: Record<
  string,
  (args: string[], values: Record<string, unknown>, io: Parameters<Command['run']>[1]) => Promise<number>
> = {
  async schema(_args, _values, io) {
    io.stdout(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return EXIT.OK;
  },
  async validate(args, values, io) {
    const path = args[0] ?? statePaths(values, io.env).configPath;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code})`, EXIT.CONFIG);
    }
    const result = await parseConfigText(text, io.env);
    if (result.ok) {
      io.stdout(`${path}: valid\n`);
      return EXIT.OK;
    }
    io.stderr(
      `${path}: ${result.problems.length} problem(s)\n${result.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`,
    );
    return EXIT.CONFIG;
  },
  get: configGet,
  set: configSet,
  unset: configUnset,
};

export const configCommand: Command = {
  summary: 'Inspect, check and edit krabkrab.json (schema, validate, get, set, unset)',
  usage: `config <${Object.keys(SUBCOMMANDS).join('|')}> [args]`,
  options: STATE_DIR_OPTION,
  async run({ values, positionals }, io) {
    const [sub, ...args] = positionals;
    const handler = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler) throw new CliError(`expected one of ${Object.keys(SUBCOMMANDS).join(', ')}`, EXIT.USAGE);
    return handler(args, values, io);
  },
};

/** Lets other issues add `config get|set|unset` without touching the dispatcher. */
export const CONFIG_SUBCOMMANDS = SUBCOMMANDS;
