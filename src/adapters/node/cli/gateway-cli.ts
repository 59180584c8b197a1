import type { CliIo } from './command';
import { gatewayCommand } from './gateway-command';
import { runCommand } from './run-command';

/**
 * `krabkrab gateway` on its own: the entry of the gateway's bundle (dist/gateway.js, see
 * scripts/build.mjs), the same runner with the one command.
 */
export const runCli = (argv: string[], io: CliIo): Promise<number> =>
  runCommand({ gateway: async () => gatewayCommand }, argv, io);

// Taken by the executable before the command runs (see main.ts and state-owner.ts).
export { becomeStateDirOwner } from '../state-owner';
