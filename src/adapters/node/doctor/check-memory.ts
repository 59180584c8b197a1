import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectLock } from '../lock';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

const MiB = 1024 * 1024;
/** Fly's smallest machine; KrabKrab is meant to run comfortably in it (SPEC R11). */
const SMALLEST_OK = 256 * MiB;

/** The container's memory limit against the gateway's RSS and Node's heap cap (the guide's OOM section). */
export const memoryCheck: DoctorCheck = {
  name: 'memory',
  async run(input) {
    const limit = await cgroupLimit(input.host.cgroupRoot);
    const results: CheckResult[] = [];
    const add = (level: CheckResult['level'], message: string, fix?: string) =>
      results.push({ check: 'memory', level, message, ...(fix ? { fix } : {}) });
    if (limit === undefined) {
      add('ok', 'no cgroup memory limit');
      return results;
    }
    const fix =
      'raise the VM memory in fly.toml ([[vm]] memory = "512mb" or more) or fly machine update <id> --vm-memory 512';
    if (limit < SMALLEST_OK)
      add(
        'warn',
        `memory limit is ${mib(limit)}: below 256 MiB the gateway may be OOM-killed under load`,
        fix,
      );
    const rss = await gatewayRss(input);
    if (rss === undefined) add('ok', `memory limit ${mib(limit)} (no running gateway to measure)`);
    else {
      const share = rss / limit;
      const text = `gateway RSS ${mib(rss)} of a ${mib(limit)} limit (${Math.round(share * 100)}%)`;
      if (share >= 0.9) add('error', `${text}: about to be OOM-killed`, fix);
      else if (share >= 0.75) add('warn', `${text}: little headroom`, fix);
      else add('ok', text);
    }
    const heap = maxOldSpace(input);
    if (heap && heap.mib * MiB > limit) {
      add(
        'warn',
        `${heap.source} sets --max-old-space-size=${heap.mib} (MiB), above the ${mib(limit)} limit: the kernel kills the gateway before V8 collects garbage`,
        `set --max-old-space-size to about 75% of the limit (${Math.floor((limit / MiB) * 0.75)})`,
      );
    }
    return results;
  },
};

function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}

/** cgroup v2 `memory.max`, else v1 `memory/memory.limit_in_bytes`; undefined when unlimited or absent. */
export async function cgroupLimit(root: string): Promise<number | undefined> {
  for (const file of ['memory.max', 'memory/memory.limit_in_bytes']) {
    const text = (await readFile(join(root, file), 'utf8').catch(() => undefined))?.trim();
    if (text === undefined) continue;
    if (text === 'max') return undefined;
    const bytes = Number(text);
    // cgroup v1 reports "no limit" as a huge page-aligned number.
    return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : undefined;
  }
  return undefined;
}

async function gatewayRss(input: DoctorInput): Promise<number | undefined> {
  const lock = await inspectLock(input.stateDir).catch(() => undefined);
  if (!lock || lock.stale) return undefined;
  const status = await readFile(join(input.host.proc, String(lock.info.pid), 'status'), 'utf8').catch(
    () => undefined,
  );
  const kb = status && /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : undefined;
}

function maxOldSpace(input: DoctorInput): { mib: number; source: string } | undefined {
  const value = input.env.NODE_OPTIONS && /--max-old-space-size[= ](\d+)/.exec(input.env.NODE_OPTIONS)?.[1];
  return value ? { mib: Number(value), source: 'NODE_OPTIONS' } : undefined;
}
