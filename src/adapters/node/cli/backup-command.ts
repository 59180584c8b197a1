import { chmod, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { create } from 'tar';
import { formatBytes } from '../../../core/media/format';
import { CliError, EXIT } from '../exit-codes';
import { fileStamp, isRuntimeOnly } from './backup-entries';
import type { Command } from './command';
import { statePaths } from './state-options';

/**
 * `krabkrab backup [file.tar.gz]`: the whole state dir (config, credentials, sessions, cron,
 * ...) without the lock, as a gzipped tar only its owner can read. Safe while a gateway runs:
 * every file in the state dir is replaced atomically, so each one is whole.
 */
export const backupCommand: Command = {
  summary: 'Write the whole state dir (without the lock) to a .tar.gz (mode 0600: it holds credentials)',
  usage: 'backup [file.tar.gz] [--state-dir DIR]',
  options: { 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[1])}`, EXIT.USAGE);
    const { stateDir, configPath } = statePaths(values, io.env);
    const info = await stat(stateDir).catch(() => undefined);
    if (!info?.isDirectory())
      throw new CliError(
        `no state dir at ${stateDir}: nothing to back up (set krabkrab_STATE_DIR or --state-dir)`,
      );
    const out = resolve(positionals[0] ?? `krabkrab-backup-${fileStamp()}.tar.gz`);
    const inside = relative(stateDir, out);
    const outInState = !inside.startsWith('..') && !isAbsolute(inside);

    const entries = (await readdir(stateDir)).filter(
      (name) => !isRuntimeOnly(name) && !(outInState && name === inside),
    );
    if (entries.length === 0) throw new CliError(`the state dir ${stateDir} is empty: nothing to back up`);
    const temp = `${out}.${process.pid}.tmp`;
    // Created 0600 before tar writes into it: the archive holds credentials from the first byte.
    try {
      await (await open(temp, 'wx', 0o600)).close();
    } catch (error) {
      throw new CliError(
        `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    let files = 0;
    let bytes = 0;
    try {
      await create(
        {
          gzip: true,
          cwd: stateDir,
          file: temp,
          portable: true,
          filter: (path, entry) => {
            if (isRuntimeOnly(path) || (outInState && (path === inside || path === relative(stateDir, temp))))
              return false;
            if ('isFile' in entry && entry.isFile()) {
              files++;
              bytes += entry.size;
            }
            return true;
          },
        },
        entries,
      );
      await chmod(temp, 0o600);
      await rename(temp, out);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new CliError(`backup failed: ${(error as Error).message}`);
    }
    const size = (await stat(out)).size;
    io.stdout(
      `backed up ${stateDir} (${files} files, ${formatBytes(bytes)}) to ${out} (${formatBytes(size)} compressed, mode 0600: it holds credentials, keep it private)\n`,
    );
    const configRel = relative(stateDir, configPath);
    if (configRel.startsWith('..') || isAbsolute(configRel)) {
      io.stderr(
        `note: the config ${configPath} (krabkrab_CONFIG_PATH) is outside the state dir and not in this backup\n`,
      );
    }
    return EXIT.OK;
  },
};
