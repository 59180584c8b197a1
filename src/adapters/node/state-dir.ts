import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './exit-codes';

export const CONFIG_FILE = 'krabkrab.json';

/** `--state-dir` > `krabkrab_STATE_DIR` > `~/.krabkrab`. */
export function resolveStateDir(flag: string | undefined, envDir: string | undefined): string {
  return resolve(flag ?? envDir ?? join(homedir(), '.krabkrab'));
}

export function resolveConfigPath(stateDir: string, envPath: string | undefined): string {
  return envPath ? resolve(envPath) : join(stateDir, CONFIG_FILE);
}

/** Creates the state dir (owner-only) if needed and checks that the gateway can write there. */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CliError(`state dir ${dir} is not a directory`);
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot use state dir ${dir} (${code ?? (error as Error).message}): make it writable by this user or set krabkrab_STATE_DIR`,
    );
  }
}
