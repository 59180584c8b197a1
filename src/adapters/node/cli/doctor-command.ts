import { FLY_SECTION } from '../doctor/check-fly';
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

const line = (r: CheckResult): string =>
  `${MARK[r.level]} ${r.check}: ${r.message}${r.fix ? ` -> fix: ${r.fix}` : ''}`;

/** One line per finding, the fix on the same line, fly.toml's apart; a summary that says what the exit code means. */
export function formatReport(report: DoctorReport): string {
  const lines = report.checks.map(line);
  if (report.fly) lines.push('', `${FLY_SECTION} (${report.fly.path}):`, ...report.fly.checks.map(line));
  const summary =
    report.errors > 0
      ? `${report.errors} error(s), ${report.warnings} warning(s): the gateway would not start or would be unsafe`
      : `no errors, ${report.warnings} warning(s)`;
  return `krabkrab doctor: state dir ${report.stateDir}, config ${report.configPath}\n${lines.join('\n')}\n${summary}\n`;
}

export const doctorCommand: Command = {
  summary:
    'Check this machine, the state dir, the config, ports, lock, memory, keys and tokens (--deep: try them)',
  usage: 'doctor [--json] [--deep] [--port N] [--bind MODE] [--fly [PATH]] [--state-dir DIR]',
  options: {
    json: { type: 'boolean' },
    deep: { type: 'boolean' },
    port: { type: 'string' },
    bind: { type: 'string' },
    fly: { type: 'boolean' },
    'state-dir': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    // `--fly [PATH]`: the one positional doctor takes is fly.toml's path (a file or its dir), after --fly.
    const flyPath = values.fly ? positionals[0] : undefined;
    const extra = positionals.slice(flyPath === undefined ? 0 : 1);
    if (extra.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(extra[0])}`, EXIT.USAGE);
    const input = await gatherDoctorInput(values, io.env, Boolean(values.deep), {}, flyPath);
    const report = await runDoctor(input);
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? EXIT.OK : EXIT.ERROR;
  },
};
