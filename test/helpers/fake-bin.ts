import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
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

/** A port free right now on 127.0.0.1 (for a fake's API address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
