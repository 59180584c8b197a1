import type { CheckResult, DoctorCheck } from './types';

/** Node's version against `engines.node` of the installed package. */
export const nodeCheck: DoctorCheck = {
  name: 'node',
  async run({ nodeVersion, engines }) {
    if (!engines)
      return [
        {
          check: 'node',
          level: 'info',
          message: `Node ${nodeVersion} (package.json not found, engines not checked)`,
        },
      ];
    const result: CheckResult = satisfies(nodeVersion, engines)
      ? { check: 'node', level: 'ok', message: `Node ${nodeVersion} satisfies engines ${engines}` }
      : {
          check: 'node',
          level: 'error',
          message: `Node ${nodeVersion} does not satisfy engines ${engines}`,
          fix: 'install a Node version in that range (the Dockerfile uses Node 20 LTS)',
        };
    return [result];
  },
};

type Version = [number, number, number];

function toVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text.trim());
  if (!match) return undefined;
  const part = (value: string | undefined) =>
    value === undefined || value === 'x' || value === '*' ? 0 : Number(value);
  return [Number(match[1]), part(match[2]), part(match[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * The subset of npm ranges `engines.node` uses: `||` alternatives of space-separated comparators
 * (`>=20.11`, `<23`, `^20.11.0`, `~20.11`, `20.x`). An unreadable range counts as satisfied.
 */
export function satisfies(versionText: string, range: string): boolean {
  const version = toVersion(versionText);
  if (!version) return true;
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => comparatorHolds(version, comparator)),
  );
}

function comparatorHolds(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  const target = match && toVersion(match[2] as string);
  if (!match || !target) return true;
  const diff = compare(version, target);
  switch (match[1]) {
    case '>=':
      return diff >= 0;
    case '<=':
      return diff <= 0;
    case '>':
      return diff > 0;
    case '<':
      return diff < 0;
    case '^':
      return diff >= 0 && version[0] === target[0];
    case '~':
      return diff >= 0 && version[0] === target[0] && version[1] === target[1];
    default: {
      const given = (match[2] as string)
        .replace(/^v/, '')
        .split('.')
        .filter((p) => /^\d+$/.test(p)).length;
      return version.slice(0, given).every((part, i) => part === target[i]);
    }
  }
}
