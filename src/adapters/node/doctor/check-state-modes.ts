import { join } from 'node:path';
import { walkState } from '../state-modes';
import type { CheckResult, DoctorCheck } from './types';

const SHOWN = 5;

/**
 * Every entry inside the state dir is owner-only: it holds tokens, secrets and transcripts. (The dir
 * itself may be 0755 when made by hand: its top-level names say nothing secret.)
 */
export const stateModesCheck: DoctorCheck = {
  name: 'state-modes',
  async run({ stateDir }) {
    const open: string[] = [];
    try {
      for await (const entry of walkState(stateDir))
        if ((entry.mode & 0o7077) !== 0) open.push(`${join(stateDir, entry.path)} (${modeText(entry.mode)})`);
    } catch {
      return []; // A missing or unreadable state dir is the state-dir check's to report.
    }
    if (open.length === 0) return [ok('state dir entries are owner-only')];
    const more = open.length > SHOWN ? ` and ${open.length - SHOWN} more` : '';
    return [
      {
        check: 'state-modes',
        level: 'warn',
        message: `${open.length} state dir entries are open to group or others, or carry setuid/setgid/sticky bits: ${open.slice(0, SHOWN).join(', ')}${more}`,
        fix: `chmod -R go-rwx,ug-s,-t ${stateDir}`,
      },
    ];
  },
};

function ok(message: string): CheckResult {
  return { check: 'state-modes', level: 'ok', message };
}

function modeText(mode: number): string {
  return `mode ${(mode & 0o7777).toString(8).padStart(4, '0')}`;
}
