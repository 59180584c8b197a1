import type { ExecToolsConfig } from '../../config/sections/tools-exec';
import { allowableAlways, matchesAllowlist, plainProgram } from './command-line';

export type ExecVerdict =
  | { action: 'run' }
  | { action: 'ask'; program?: string }
  | { action: 'refuse'; reason: string };

/** What `tools.exec` says about one command line, before it runs. */
export function decideExec(command: string, settings: ExecToolsConfig | undefined): ExecVerdict {
  const mode = settings?.mode ?? 'ask';
  const allowed = matchesAllowlist(command, settings?.allow ?? []);
  switch (mode) {
    case 'deny':
      return { action: 'refuse', reason: 'exec is turned off (tools.exec.mode is "deny")' };
    case 'full':
      return { action: 'run' };
    case 'allowlist':
      if (allowed) return { action: 'run' };
      return {
        action: 'refuse',
        reason: plainProgram(command)
          ? `${plainProgram(command)} is not in tools.exec.allow (tools.exec.mode is "allowlist")`
          : 'a command with shell operators (; & | ` $( < > newline) never matches tools.exec.allow (tools.exec.mode is "allowlist")',
      };
    default: {
      if (allowed) return { action: 'run' };
      const program = plainProgram(command);
      return program && allowableAlways(program) ? { action: 'ask', program } : { action: 'ask' };
    }
  }
}
