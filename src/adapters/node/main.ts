import { runCli } from './cli/main';
import { becomeStateDirOwner } from './state-owner';

/** The `krabkrab` executable (dist/index.js). */
becomeStateDirOwner(process.env, process.argv.slice(2));
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Long-running commands resolve only when they are done; anything still open (idle sockets) must not keep us alive.
setTimeout(() => process.exit(code), 200).unref();
