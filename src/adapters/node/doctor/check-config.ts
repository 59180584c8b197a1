import { formatProblem } from '../../../core/config/problems';
import type { CheckResult, DoctorCheck } from './types';

/** The config parses and passes the schema, with the same messages the gateway prints at start. */
export const configCheck: DoctorCheck = {
  name: 'config',
  async run({ config, configPath }) {
    if (config.ok === true)
      return [{ check: 'config', level: 'ok', message: `config ${configPath} is valid` }];
    if (config.ok === 'missing') {
      const result: CheckResult = {
        check: 'config',
        level: 'warn',
        message: `no config at ${configPath}: the gateway exits 78 unless started with --allow-unconfigured`,
        fix: 'start once with --allow-unconfigured (npm start does), or write it (krabkrab config set gateway.mode local)',
      };
      return [result];
    }
    return config.problems.map((problem) => ({
      check: 'config',
      level: 'error' as const,
      message: `${configPath}: ${formatProblem(problem)}`,
      fix: 'fix it with krabkrab config set/unset or an editor (earlier versions are in krabkrab.json.bak.1..5); check with krabkrab config validate',
    }));
  },
};
