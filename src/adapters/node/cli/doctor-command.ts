import { gatherDoctorInput } from '../doctor/input';
import { type DoctorReport, runDoctor } from '../doctor/run';
import type { CheckResult } from '../doctor/types';
import { CliError, EXIT } from '../exit-codes';
import type { Command } from './command';

const MARK: Record<CheckResult['level'], string> = {
  ok: 'ok   ',
  info: 'info ',
  warn: 'WARN ',
  error: 'ERROR',
};

/** One line per finding, the fix on the same line; a summary that says what the exit code means. */
export function formatReport(report: DoctorReport): string {
  const lines = report.checks.map(
    (r) => `${MARK[r.level]} ${r.check}: ${r.message}${r.fix ? ` -> fix: ${r.fix}` : ''}`,
  );
  const summary =
    report.errors > 0
      ? `${report.errors} error(s), ${report.warnings} warning(s): the gateway would not start or would be unsafe`
      : `no errors, ${report.warnings} warning(s)`;
  return `krabkrab doctor: state dir ${report.stateDir}, config ${report.configPath}\n${lines.join('\n')}\n${summary}\n`;
}

export const doctorCommand: Command = {
  summary:
    'Check this machine, the state dir, the config, ports, lock, memory, keys and tokens (--deep: try them)',
  usage: 'doctor [--json] [--deep] [--state-dir DIR]',
  options: { json: { type: 'boolean' }, deep: { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])}`, EXIT.USAGE);
    const report = await runDoctor(await gatherDoctorInput(values, io.env, Boolean(values.deep)));
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? EXIT.OK : EXIT.ERROR;
  },
};
