import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { extract, list } from 'tar';
import { CliError, EXIT } from '../exit-codes';
import { inspectLock } from '../lock';
import { ensureStateDir } from '../state-dir';
import { forceOwnerOnly, SPECIAL_BITS } from '../state-modes';
import { fileStamp, isRuntimeOnly } from './backup-entries';
import type { Command } from './command';
import { statePaths } from './state-options';

/** Reads the archive's table of contents and refuses anything but plain files and folders inside the state dir. */
async function checkArchive(file: string): Promise<{ files: number; hasConfig: boolean }> {
  const problems: string[] = [];
  let files = 0;
  let hasConfig = false;
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        const path = entry.path.replace(/^\.\//, '');
        if (entry.type !== 'File' && entry.type !== 'Directory' && entry.type !== 'OldFile')
          problems.push(`${path}: ${entry.type} entries are not restored`);
        else if (path.startsWith('/') || path.split('/').includes('..'))
          problems.push(`${path}: points outside the state dir`);
        else if (((entry.mode ?? 0) & SPECIAL_BITS) !== 0)
          problems.push(
            `${path}: has the setuid, setgid or sticky bit (mode ${(entry.mode ?? 0).toString(8)})`,
          );
        else if (entry.type !== 'Directory' && !isRuntimeOnly(path)) files++;
        if (path === 'krabkrab.json') hasConfig = true;
      },
    });
  } catch (error) {
    throw new CliError(`${file} is not a readable .tar.gz backup (${(error as Error).message})`);
  }
  if (problems.length > 0)
    throw new CliError(
      `refusing to restore ${file}:\n${problems
        .slice(0, 10)
        .map((p) => `  ${p}`)
        .join('\n')}`,
    );
  if (files === 0) throw new CliError(`${file} holds no files: nothing to restore`);
  return { files, hasConfig };
}

/**
 * `krabkrab restore <file>`: replaces the state dir's contents with a backup's. Refuses while a
 * gateway runs on it. The archive is unpacked beside the live files first, then swapped in; what
 * was there is kept in `.pre-restore-<time>/` inside the state dir (nothing is written outside it).
 * Every restored file is 0600 and every folder 0700, whatever the archive says.
 */
export const restoreCommand: Command = {
  summary:
    'Replace the state dir with a backup (refused while a gateway runs; the old contents are kept aside)',
  usage: 'restore <file.tar.gz> [--state-dir DIR]',
  options: { 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new CliError('usage: restore <file.tar.gz>', EXIT.USAGE);
    const file = resolve(positionals[0] as string);
    if (!(await stat(file).catch(() => undefined))?.isFile())
      throw new CliError(`no backup file at ${file}`, EXIT.USAGE);
    const { stateDir } = statePaths(values, io.env);
    const lock = await inspectLock(stateDir).catch(() => undefined);
    if (lock && !lock.stale) {
      throw new CliError(
        `a gateway is running on ${stateDir} (PID ${lock.info.pid}, port ${lock.info.port}): stop it first, then restore`,
      );
    }
    const { files, hasConfig } = await checkArchive(file);
    await ensureStateDir(stateDir);

    const staging = join(stateDir, `.restore-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { mode: 0o700 });
    try {
      await extract({
        file,
        cwd: staging,
        strict: true,
        preserveOwner: false,
        // The archive's modes are not trusted: a crafted one could leave credentials/ world-readable.
        umask: 0o077,
        filter: (path) => !isRuntimeOnly(path),
      });
      await forceOwnerOnly(staging);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new CliError(
        `restore failed while unpacking, the state dir is unchanged: ${(error as Error).message}`,
      );
    }

    const current = (await readdir(stateDir)).filter(
      (name) => !isRuntimeOnly(name) && !name.startsWith('.pre-restore-'),
    );
    let keptAside: string | undefined;
    if (current.length > 0) {
      keptAside = join(stateDir, `.pre-restore-${fileStamp()}`);
      await mkdir(keptAside, { mode: 0o700 });
      for (const name of current) await rename(join(stateDir, name), join(keptAside, name));
    }
    for (const name of await readdir(staging)) await rename(join(staging, name), join(stateDir, name));
    await rm(staging, { recursive: true, force: true });

    io.stdout(`restored ${files} files from ${file} into ${stateDir}\n`);
    if (keptAside)
      io.stdout(`the previous contents are in ${keptAside} (delete it once the gateway runs fine)\n`);
    if (!hasConfig)
      io.stderr(
        'note: the backup has no krabkrab.json; start with --allow-unconfigured or restore the config separately\n',
      );
    return EXIT.OK;
  },
};
