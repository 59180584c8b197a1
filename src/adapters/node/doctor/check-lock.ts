import { inspectLock } from '../lock';
import type { DoctorCheck } from './types';

/** Who holds the state dir's lock: nobody, a live gateway, or a stale leftover of a crash or container restart. */
export const lockCheck: DoctorCheck = {
  name: 'lock',
  async run({ stateDir }) {
    const lock = await inspectLock(stateDir).catch(() => undefined);
    if (!lock)
      return [
        { check: 'lock', level: 'ok', message: 'no gateway lock: no gateway is running on this state dir' },
      ];
    const { info, path } = lock;
    if (!lock.stale) {
      return [
        {
          check: 'lock',
          level: 'ok',
          message: `held by a live gateway: PID ${info.pid}, port ${info.port}, since ${info.startedAt} (${path})`,
        },
      ];
    }
    return [
      {
        check: 'lock',
        level: 'warn',
        message: `stale lock ${path} (PID ${info.pid}, ${lock.stale}); safe to remove, and the gateway takes it over by itself on start`,
        fix: `rm ${path}`,
      },
    ];
  },
};
