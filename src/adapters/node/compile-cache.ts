import { statSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type EnableCompileCache = (directory: string) => { status: number; message?: string };
/** `module.constants.compileCacheStatus` ENABLED and ALREADY_ENABLED (not in Node 20's types). */
const IN_USE = new Set([1, 2]);

/**
 * Node 22.1+ keeps V8's compiled code of the modules it loads and reuses it on the next start
 * (`module.enableCompileCache`): on Node 22 a warm cache takes ~12% off the CPU a gateway spends
 * until its first answer on /health (README, Benchmarks). Used by `krabkrab gateway` only, in
 * `$STATE_DIR/cache/compile` (on Fly the volume: a restart of the same build finds it warm),
 * owner-only like the rest of the state dir. Not when the state dir does not exist yet (the gateway
 * creates it; nothing is made before the arguments are checked), not as root in another user's state
 * dir (the gateway becomes that user and could not write a root-owned cache), not on Node 20 (no
 * such API), not when `NODE_COMPILE_CACHE` already chose a directory or `KRABKRAB_COMPILE_CACHE=0`.
 */
export function enableGatewayCompileCache(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const enable = (module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (!enable || argv[0] !== 'gateway' || env.NODE_COMPILE_CACHE || env.KRABKRAB_COMPILE_CACHE === '0')
    return undefined;
  const flagAt = argv.indexOf('--state-dir');
  const flag = flagAt >= 0 ? argv[flagAt + 1] : argv.find((arg) => arg.startsWith('--state-dir='))?.slice(12);
  const stateDir = stateDirOf(flag, env);
  let owner: number;
  try {
    owner = statSync(stateDir).uid;
  } catch {
    return undefined;
  }
  if (process.getuid?.() === 0 && owner !== 0) return undefined;
  const directory = join(stateDir, 'cache', 'compile');
  // Node makes the directories now, with the process umask (its files are 0600 already).
  const umask = process.umask(0o077);
  try {
    return IN_USE.has(enable(directory).status) ? directory : undefined;
  } catch {
    return undefined; // a cache is an optimisation, never a reason not to start
  } finally {
    process.umask(umask);
  }
}

/**
 * `resolveStateDir` (state-dir.ts) again, over env as `gatewayVar` reads it: importing them would make
 * dist/index.js load shared chunks before handing over (test/adapters/node/compile-cache.test.ts
 * checks the two agree).
 */
export function stateDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = [env.krabkrab_STATE_DIR, env.KRABKRAB_STATE_DIR].find((value) => value?.trim());
  return resolve(flag ?? fromEnv ?? join(homedir(), '.krabkrab'));
}
