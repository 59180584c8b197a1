import { constants } from 'node:fs';
import { access, readFile, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CheckResult, DoctorCheck } from './types';

export const FIX_VOLUME =
  'set krabkrab_STATE_DIR=/data in fly.toml [env] and mount a volume there ([mounts] destination = "/data")';

/** The state dir exists (or can be made), is writable, and survives a redeploy when in a container. */
export const stateDirCheck: DoctorCheck = {
  name: 'state-dir',
  async run(input) {
    const results: CheckResult[] = [];
    const { stateDir } = input;
    const add = (level: CheckResult['level'], message: string, fix?: string) =>
      results.push({ check: 'state-dir', level, message, ...(fix ? { fix } : {}) });

    if (input.container && input.stateDirSource === 'default') {
      add(
        'warn',
        `krabkrab_STATE_DIR is not set inside a container: state goes to ${stateDir} in the image and is lost on redeploy`,
        FIX_VOLUME,
      );
    }
    const info = await stat(stateDir).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code !== 'ENOENT') {
        add(
          'error',
          `cannot use state dir ${stateDir} (${info.code})`,
          'make it readable and writable by this user, or set krabkrab_STATE_DIR',
        );
        return results;
      }
      const parentOk = await writableDir(dirname(stateDir));
      if (parentOk)
        add('warn', `state dir ${stateDir} does not exist yet; the gateway creates it on first start`);
      else
        add(
          'error',
          `state dir ${stateDir} does not exist and cannot be created here`,
          'create it writable by this user, or set krabkrab_STATE_DIR',
        );
      return results;
    }
    if (!info.isDirectory()) {
      add('error', `state dir ${stateDir} is not a directory`, 'point krabkrab_STATE_DIR at a directory');
      return results;
    }
    if (!(await canCreateFileIn(stateDir))) {
      add(
        'error',
        `state dir ${stateDir} is not writable by this user`,
        `chown it to this user (e.g. chown -R $(id -u) ${stateDir}) or set krabkrab_STATE_DIR`,
      );
      return results;
    }
    add('ok', `state dir ${stateDir} is writable`);
    if (input.container) {
      const mount = await mountOf(stateDir, input.host.mountinfo);
      if (mount && (mount.point === '/' || mount.fsType === 'overlay')) {
        add(
          'warn',
          `state dir ${stateDir} is on the container's own file system (${mount.fsType} at ${mount.point}), not a volume: lost on redeploy`,
          FIX_VOLUME,
        );
      } else if (mount) add('ok', `state dir is on a mounted volume (${mount.fsType} at ${mount.point})`);
    }
    return results;
  },
};

async function writableDir(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** Really creates (and removes) a file: `access()` says yes to root even where writes fail. */
async function canCreateFileIn(dir: string): Promise<boolean> {
  const probe = join(dir, `.krabkrab-doctor-${process.pid}-${Date.now()}`);
  try {
    await writeFile(probe, '', { flag: 'wx', mode: 0o600 });
    await unlink(probe);
    return true;
  } catch {
    return false;
  }
}

/** The mount holding `path`: the longest mount point that is a prefix of its real path (from mountinfo). */
export async function mountOf(
  path: string,
  mountinfo: string,
): Promise<{ point: string; fsType: string } | undefined> {
  const text = await readFile(mountinfo, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const real = await realpath(path).catch(() => path);
  let best: { point: string; fsType: string } | undefined;
  for (const line of text.split('\n')) {
    // Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions
    const [left, right] = line.split(' - ');
    const point = left?.split(' ')[4]?.replace(/\\040/g, ' ');
    const fsType = right?.split(' ')[0];
    if (!point || !fsType) continue;
    const inside = point === '/' || real === point || real.startsWith(`${point}/`);
    if (inside && (!best || point.length >= best.point.length)) best = { point, fsType };
  }
  return best;
}
