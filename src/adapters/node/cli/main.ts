import type { CliIo } from './command';
import { COMMANDS } from './commands';
import { runCommand } from './run-command';

/** The `krabkrab` CLI, every command; returns the exit code. */
export const runCli = (argv: string[], io: CliIo): Promise<number> => runCommand(COMMANDS, argv, io);

// Taken by the executable before the command runs (see main.ts and state-owner.ts).
export { becomeStateDirOwner } from '../state-owner';
