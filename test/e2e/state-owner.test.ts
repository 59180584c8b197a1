import { chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, removeDir, runCli, tempStateDir } from '../helpers/gateway-process';

const NOBODY = 65534;
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('CLI run as root on a state dir owned by the gateway user (fly ssh console)', () => {
  it('writes files owned by the state dir owner, so the gateway can read them', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const root = process.getuid?.() === 0;
    if (root) chownSync(stateDir, NOBODY, NOBODY);
    const result = await runCli(['token'], cleanEnv({ krabkrab_STATE_DIR: stateDir }));
    expect(result.code).toBe(0);
    const file = statSync(join(stateDir, 'credentials', 'gateway-token'));
    // As root the CLI became the owner first; as another user it simply is that user.
    expect(file.uid).toBe(root ? NOBODY : process.getuid?.());
    expect(file.mode & 0o777).toBe(0o600);
  });
});
