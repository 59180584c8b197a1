import type { ExecToolsConfig } from '../../config/sections/tools-exec';
import { allowableAlways, matchesAllowlist, plainProgram } from './command-line';

export type ExecVerdict =
  | { action: 'run' }
  | { action: 'ask'; program?: string }
  | { action: 'refuse'; reason: string };

/**
 * What `tools.exec` says about one command line, before it runs. `workspace` (the command's
 * working directory) keeps allow-always from a workspace file named by its absolute path.
 */
export function decideExec(
  command: string,
  settings: ExecToolsConfig | undefined,
  workspace?: string,
): ExecVerdict {
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
      return program && allowableAlways(program) && !(workspace && mayBeUnder(program, workspace))
        ? { action: 'ask', program }
        : { action: 'ask' };
    }
  }
}

/**
 * Whether the absolute path `program` is, or may be, a file under `dir`: `/ws/build.sh` is the
 * same file as `./build.sh`, which the agent can rewrite. A path with `.` or `..` segments
 * cannot be judged by its text, so it counts as under.
 */
function mayBeUnder(program: string, dir: string): boolean {
  const segments = program.split('/');
  if (segments.includes('.') || segments.includes('..')) return true;
  const normal = (path: string) => path.replace(/\/+/g, '/').replace(/\/$/, '');
  return normal(program).startsWith(`${normal(dir)}/`);
}
