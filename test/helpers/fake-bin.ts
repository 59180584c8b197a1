import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKES: Record<string, string> = {
  ngrok: fileURLToPath(new URL('../fakes/ngrok-agent.mjs', import.meta.url)),
  tailscale: fileURLToPath(new URL('../fakes/tailscale-cli.mjs', import.meta.url)),
  'signal-cli': fileURLToPath(new URL('../fakes/signal-cli.mjs', import.meta.url)),
};

/**
 * A temp dir holding executables named like the real CLIs (`ngrok`, `tailscale`) that run the
 * fakes in test/fakes with this Node; put `dir` first on PATH and the gateway finds them.
 */
export function createFakeBin(names: Array<keyof typeof FAKES>): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'krab-bin-'));
  for (const name of names) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${FAKES[name]}" "$@"\n`);
    chmodSync(file, 0o755);
  }
  return { dir, path: `${dir}${delimiter}${process.env.PATH ?? ''}` };
}

export { freeLoopbackPort as freePort } from '../../src/adapters/node/free-port';
