import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gatherDoctorInput } from '../../../../src/adapters/node/doctor/input';
import { runDoctor } from '../../../../src/adapters/node/doctor/run';
import type { CheckResult, DoctorCheck, DoctorInput } from '../../../../src/adapters/node/doctor/types';
import { lockPathFor } from '../../../../src/adapters/node/lock';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';

export interface CaseOptions {
  config?: unknown;
  env?: Record<string, string>;
  container?: boolean;
  /** fly.toml in the working dir (read only when `askFly` or `FLY_APP_NAME` says so). */
  fly?: string;
  /** `doctor --fly`. */
  askFly?: boolean;
  /** Doctor's own flags: `--port`, `--bind`. */
  flags?: { port?: string; bind?: string };
  deep?: boolean;
  /** Contents of `<cgroup>/memory.max`; absent means no file. */
  memoryMax?: string;
  mountinfo?: string;
  engines?: string;
  nodeVersion?: string;
}

export interface DoctorCase {
  root: string;
  stateDir: string;
  proc: string;
  input(): Promise<DoctorInput>;
  run(...checks: DoctorCheck[]): Promise<CheckResult[]>;
  /** The fly.toml section alone. */
  runFly(): Promise<CheckResult[]>;
}

const cleanups: Array<() => void> = [];

/** Removes every temp dir and kills every child the cases made. */
export function cleanupCases(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** A crafted machine for doctor: temp state dir, working dir (fly.toml), cgroup dir, mountinfo, /proc. */
export function doctorCase(options: CaseOptions = {}): DoctorCase {
  const root = tempStateDir('krab-doctor-');
  cleanups.push(() => removeDir(root));
  const stateDir = join(root, 'state');
  const cwd = join(root, 'cwd');
  const cgroupRoot = join(root, 'cgroup');
  const proc = join(root, 'proc');
  for (const dir of [stateDir, cwd, cgroupRoot, proc]) mkdirSync(dir, { recursive: true });
  if (options.config !== undefined) {
    const text = typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
    writeFileSync(join(stateDir, 'krabkrab.json'), text);
  }
  if (options.fly !== undefined) writeFileSync(join(cwd, 'fly.toml'), options.fly);
  if (options.memoryMax !== undefined)
    writeFileSync(join(cgroupRoot, 'memory.max'), `${options.memoryMax}\n`);
  const mountinfo = join(root, 'mountinfo');
  writeFileSync(mountinfo, options.mountinfo ?? '');
  const input = () =>
    gatherDoctorInput(
      { 'state-dir': stateDir, ...options.flags, ...(options.askFly ? { fly: true } : {}) },
      { ...options.env },
      Boolean(options.deep),
      {
        cwd,
        container: options.container ?? false,
        host: { mountinfo, cgroupRoot, proc },
        engines: options.engines ?? '>=20.11',
        nodeVersion: options.nodeVersion ?? 'v20.20.2',
        timeoutMs: 2000,
      },
    );
  return {
    root,
    stateDir,
    proc,
    input,
    async run(...checks) {
      return (await runDoctor(await input(), checks)).checks;
    },
    async runFly() {
      return (await runDoctor(await input(), [])).fly?.checks ?? [];
    },
  };
}

/** A live process that looks like a gateway (its argv says so), holding the state dir's lock. */
export async function liveGatewayLock(stateDir: string, port = 3000): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'gateway'], {
    stdio: 'ignore',
  });
  cleanups.unshift(() => child.kill('SIGKILL'));
  await writeLock(stateDir, child.pid as number, port);
  return child;
}

/** A lock left by a process that is gone (a crash, a container restart). */
export async function staleLock(stateDir: string): Promise<string> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return writeLock(stateDir, child.pid as number, 3000);
}

async function writeLock(stateDir: string, pid: number, port: number): Promise<string> {
  const path = await lockPathFor(stateDir);
  let bootId = '';
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // No /proc: the lock check then trusts the PID alone.
  }
  writeFileSync(
    path,
    JSON.stringify({ pid, port, startedAt: new Date().toISOString(), hostname: hostname(), bootId }),
  );
  return path;
}

export function levels(results: CheckResult[]): string[] {
  return results.map((result) => result.level);
}
