import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readdir, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { CliError } from './exit-codes';

/** What the lock file holds: enough to tell a live owner from a stale one after a crash or container restart. */
export interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
  hostname: string;
  bootId: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22): a reused PID has another. */
  procStart?: string;
}

export interface GatewayLock {
  path: string;
  /** Records the port actually bound (after `--port 0`). */
  setPort(port: number): Promise<void>;
  release(): Promise<void>;
  releaseSync(): void;
}

export interface LockOptions {
  stateDir: string;
  port: number;
  log: (message: string) => void;
}

/** `gateway.<8 hex>.lock`, the hex from the state dir's real path, so every gateway on one dir picks the same file. */
export async function lockPathFor(stateDir: string): Promise<string> {
  const real = await realpath(stateDir);
  return join(stateDir, `gateway.${createHash('sha256').update(real).digest('hex').slice(0, 8)}.lock`);
}

/**
 * Takes the state dir's lock. A live KrabKrab owner makes this fail with its PID, port and
 * the lock path; a stale lock (dead PID, another boot, a reused PID) is taken over and logged.
 */
export async function acquireLock(options: LockOptions): Promise<GatewayLock> {
  const path = await lockPathFor(options.stateDir);
  const info: LockInfo = {
    pid: process.pid,
    port: options.port,
    startedAt: new Date().toISOString(),
    hostname: hostname(),
    bootId: readBootId(),
    procStart: readProcStart(process.pid),
  };
  const body = serialize(info);

  await removeOtherStaleLocks(options.stateDir, path, options.log);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(body);
      await handle.close();
      return makeLock(path, info);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readLock(path);
    if (existing === 'missing') continue;
    const stale = existing === 'unreadable' ? 'lock file unreadable' : staleReason(existing);
    if (!stale && existing !== 'unreadable') {
      throw new CliError(
        `another gateway is already running on this state dir: PID ${existing.pid}, port ${existing.port} (lock ${path}). Stop it first, or use another krabkrab_STATE_DIR.`,
      );
    }
    if (await takeOver(path, existing)) {
      const who = existing === 'unreadable' ? '' : ` (PID ${existing.pid}, ${stale})`;
      options.log(`removed stale lock ${path}${who}`);
    }
  }
  throw new CliError(`could not take the lock ${path}: another gateway keeps taking it`);
}

function makeLock(path: string, info: LockInfo): GatewayLock {
  let body = serialize(info);
  let released = false;
  const ours = () => {
    try {
      return readFileSync(path, 'utf8') === body;
    } catch {
      return false;
    }
  };
  return {
    path,
    async setPort(port) {
      if (released || !ours()) return;
      body = serialize({ ...info, port });
      await writeFileAtomic(path, body);
    },
    async release() {
      if (released) return;
      released = true;
      if (ours()) await unlink(path).catch(() => {});
    },
    releaseSync() {
      if (released) return;
      released = true;
      try {
        if (ours()) unlinkSync(path);
      } catch {
        // Best effort at exit; a stale lock is taken over at the next start anyway.
      }
    },
  };
}

function serialize(info: LockInfo): string {
  return `${JSON.stringify(info, null, 2)}\n`;
}

async function readLock(path: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return typeof info.pid === 'number' ? info : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Why a lock no longer belongs to a live gateway, or undefined when its owner is alive. */
export function staleReason(lock: LockInfo): string | undefined {
  const bootId = readBootId();
  if (lock.bootId && bootId && lock.bootId !== bootId) return 'left from an earlier boot';
  if (lock.hostname && lock.hostname !== hostname() && !lock.bootId) return undefined;
  if (lock.pid === process.pid) return 'PID reused by this process';
  if (!pidAlive(lock.pid)) return 'process not running';
  const start = readProcStart(lock.pid);
  if (lock.procStart && start && lock.procStart !== start) return 'PID reused by another process';
  if (!looksLikeGateway(lock.pid)) return 'PID belongs to another program';
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function looksLikeGateway(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes('gateway') || cmdline.some((arg) => arg.includes('krabkrab'));
  } catch {
    // No /proc (macOS): trust a live PID.
    return true;
  }
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function readProcStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Moves a stale lock aside atomically, then checks that what was moved is what was judged
 * stale: if another starting gateway replaced it in between, its lock is put back.
 */
async function takeOver(path: string, judged: LockInfo | 'unreadable'): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const moved = await readLock(aside);
  const same =
    judged === 'unreadable'
      ? moved === 'unreadable'
      : typeof moved === 'object' && moved.pid === judged.pid && moved.startedAt === judged.startedAt;
  if (!same) {
    await rename(aside, path).catch(() => {});
    return false;
  }
  await unlink(aside).catch(() => {});
  return true;
}

/** Locks from another state-dir path of the same folder (a moved mount) are checked as well. */
async function removeOtherStaleLocks(
  stateDir: string,
  ownPath: string,
  log: (message: string) => void,
): Promise<void> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(stateDir, name);
    if (!/^gateway\.[0-9a-f]{8}\.lock$/.test(name) || path === ownPath) continue;
    const existing = await readLock(path);
    if (typeof existing !== 'object') continue;
    const stale = staleReason(existing);
    if (!stale) {
      throw new CliError(
        `another gateway is already running on this state dir: PID ${existing.pid}, port ${existing.port} (lock ${path}). Stop it first, or use another krabkrab_STATE_DIR.`,
      );
    }
    if (await takeOver(path, existing)) log(`removed stale lock ${path} (PID ${existing.pid}, ${stale})`);
  }
}

/** Reads the lock of a state dir, for `status`, `doctor` and `restore`. */
export async function inspectLock(
  stateDir: string,
): Promise<{ path: string; info: LockInfo; stale?: string } | undefined> {
  const path = await lockPathFor(stateDir).catch(() => undefined);
  if (!path) return undefined;
  const info = await readLock(path);
  if (typeof info !== 'object') return undefined;
  return { path, info, stale: staleReason(info) };
}
