import { setFlagsFromString } from 'node:v8';
import { runCli } from './cli/main';
import { becomeStateDirOwner } from './state-owner';

/** The `krabkrab` executable (dist/index.js). */
// fetch's HTTP parser (undici's llhttp) is WebAssembly. V8 compiles it a second time with TurboFan
// on background threads, which in most starts leaves a malloc arena of ~9 MiB resident for good;
// Liftoff's code parses the few responses a gateway reads just as well (idle RSS over 6 starts:
// 69.0-69.3 MiB instead of 76.7-79.5 with the guide's config).
setFlagsFromString('--liftoff-only');
becomeStateDirOwner(process.env, process.argv.slice(2));
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Long-running commands resolve only when they are done; anything still open (idle sockets) must not keep us alive.
setTimeout(() => process.exit(code), 200).unref();
