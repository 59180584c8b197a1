// Cases the config fuzz (test/fuzz/config-parser.test.ts) found, kept as plain unit tests.
import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { formatProblem } from '../../../src/core/config/problems';

function problemsOf(value: unknown, env = {}): string[] {
  const result = parseConfigValue(value, env);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('config parser hardening', () => {
  it.each([
    ['constructor', 'not allowed as a config key'],
    ['toString', 'unknown plugin'],
    ['hasOwnProperty', 'unknown plugin'],
  ])('a plugin named %s is a problem by path (%s), not a crash', (name, problem) => {
    const entries = JSON.parse(`{${JSON.stringify(name)}: {"enabled": true}}`);
    const problems = problemsOf({ plugins: { entries } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^plugins\\.entries\\.${name}: ${problem}`));
  });

  it('never echoes the value of a ${VAR} that landed in a wrong field', () => {
    const env = { TG_SECRET: 'tg-secret-value-0123456789' };
    const problems = problemsOf({ channels: { telegram: { groupPolicy: '${TG_SECRET}' } } }, env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^channels\.telegram\.groupPolicy: expected one of .*got "\*\*\*"$/);
    expect(problems.join('\n')).not.toContain('tg-secret-value');
  });

  it('quotes a key with a line break, so each problem stays one line', () => {
    const problems = problemsOf({ gateway: { 'evil\nkey': 1 } });
    expect(problems).toEqual(['gateway["evil\\nkey"]: unknown key']);
  });
});
