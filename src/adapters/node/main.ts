/** The `krabkrab` executable (dist/index.js). */
import { enableGatewayCompileCache } from './compile-cache';

const argv = process.argv.slice(2);
// Before the gateway's bundle is imported, so that its compile is what the cache saves (Node 22+).
enableGatewayCompileCache(argv, process.env);
// The gateway is bundled apart from the other commands (dist/gateway.js): its start then loads a
// few files instead of the many small chunks that code shared by twelve commands is split into.
// This file imports nothing else (but the small compile-cache switch, bundled into it), so that
// handing over costs no chunk of the other bundle.
const cli = argv[0] === 'gateway' ? await import('./cli/gateway-cli') : await import('./cli/main');
cli.becomeStateDirOwner(process.env, argv);
const code = await cli.runCli(argv, {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Long-running commands resolve only when they are done; anything still open (idle sockets) must not keep us alive.
setTimeout(() => process.exit(code), 200).unref();
