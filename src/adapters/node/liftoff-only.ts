import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

// Built-ins every start loads once it is under way (the server's listen loads cluster and dns, dns
// loads dgram, and child_process comes with the lock and exec parts). They are loaded before the
// V8 flag below: Node checks its built-ins' code cache against V8's flags, and a built-in loaded
// after a flag changed is compiled from source instead. (A bare `import 'node:dns'` would be
// dropped by the bundler, which takes built-ins to have no side effects.)
const STARTED_BUILTINS = ['node:child_process', 'node:cluster', 'node:dns'];

/**
 * fetch's HTTP parser (undici's llhttp) is WebAssembly, and V8 compiles it a second time with
 * TurboFan on background threads, which in most starts leaves a malloc arena of ~9 MiB resident
 * for good; Liftoff's code parses the few responses a gateway reads just as well (idle RSS over
 * 6 starts 69.0-69.3 MiB instead of 76.7-79.5). Called once the start's modules are loaded: every
 * built-in loaded after it is compiled without Node's code cache (undici before it cost ~10 % of
 * the start).
 */
export function compileWasmWithLiftoffOnly(): void {
  const load = createRequire(import.meta.url);
  for (const name of STARTED_BUILTINS) load(name);
  // The log's stream: a file or /dev/null makes it a SyncWriteStream, another built-in.
  process.stdout.writableLength;
  setFlagsFromString('--liftoff-only');
}
