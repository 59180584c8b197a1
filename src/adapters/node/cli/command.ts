import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** One CLI command: its usage line, flags, and what it does. Returns the exit code. */
export interface Command {
  summary: string;
  usage: string;
  options: OptionSpec;
  run(args: ParsedCommand, io: CliIo): Promise<number>;
}

/** Command name -> its code, loaded when it runs. */
export type CommandTable = Record<string, () => Promise<Command>>;
