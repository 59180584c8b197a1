import { parseArgs } from 'node:util';
import { GatewayError } from '../../../core/errors';
import { VERSION } from '../../../core/version';
import { CliError, EXIT } from '../exit-codes';
import type { CliIo, Command, CommandTable } from './command';

async function usage(table: CommandTable): Promise<string> {
  const width = Math.max(...Object.keys(table).map((name) => name.length));
  const commands = await Promise.all(
    Object.entries(table).map(async ([name, load]) => [name, await load()] as const),
  );
  const lines = commands.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `krabkrab ${VERSION}: a self-hosted personal AI-assistant gateway\n\nUsage: krabkrab <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun krabkrab <command> --help for a command's options.\n`;
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.options).map(
    ([flag, spec]) => `  --${flag}${spec.type === 'string' ? ' <value>' : ''}`,
  );
  return `Usage: krabkrab ${command.usage}\n\n${command.summary}\n${flags.length ? `\nOptions:\n${flags.join('\n')}\n` : ''}`;
}

/** Runs a command of `table`; returns the exit code. Errors print one clear line, never a stack trace. */
export async function runCommand(table: CommandTable, argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await usage(table));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.OK;
  }
  const command = Object.hasOwn(table, name) ? await table[name]!() : undefined;
  if (!command) {
    io.stderr(`krabkrab: unknown command ${JSON.stringify(name)}\n\n${await usage(table)}`);
    return EXIT.USAGE;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr(`krabkrab ${name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return EXIT.USAGE;
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(command));
    return EXIT.OK;
  }
  try {
    return await command.run(parsed as never, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`krabkrab ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // The core's own errors (no such cron job, bad params, ...) are expected: their message, exit 1.
    if (error instanceof GatewayError) {
      io.stderr(`krabkrab ${name}: ${error.message}\n`);
      return EXIT.ERROR;
    }
    io.stderr(`krabkrab ${name}: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.ERROR;
  }
}
