import { afterAll } from 'vitest';
import { type GatewayProcess, removeDir } from './gateway-process';

/** Gateways and state dirs a test file creates, stopped and removed once the file is done. */
export function cleanupAfterAll(): { dirs: string[]; gateways: GatewayProcess[] } {
  const tracked = { dirs: [] as string[], gateways: [] as GatewayProcess[] };
  afterAll(async () => {
    for (const gateway of tracked.gateways) await gateway.stop();
    for (const dir of tracked.dirs) removeDir(dir);
  });
  return tracked;
}
