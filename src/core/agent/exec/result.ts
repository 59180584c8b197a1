import { formatBytes } from '../../media/format';
import type { ExecResult } from './types';

/** The text the model gets: how the command ended, a note when output was cut, then the output. */
export function describeExecResult(result: ExecResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const ending = result.timedOut
    ? `timed out after ${seconds} s: killed with its child processes`
    : result.killed
      ? `killed after ${seconds} s (the run was aborted or the gateway is stopping)`
      : result.exitCode === null
        ? `ended by signal ${result.signal ?? 'unknown'} after ${seconds} s`
        : `exit code ${result.exitCode} (${seconds} s)`;
  const lines = [ending];
  if (result.droppedBytes > 0)
    lines.push(
      `[output cut: the first ${formatBytes(result.droppedBytes)} were dropped; the last ${formatBytes(new TextEncoder().encode(result.output).length)} follow]`,
    );
  lines.push(result.output === '' ? '(no output)' : result.output);
  return lines.join('\n');
}
