import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { formatProblem } from '../../../src/core/config/problems';
import { parseDuration } from '../../../src/core/cron/duration';
import { occurrencesOf, resolveAt } from '../../../src/core/cron/schedule';

const t = (text: string) => Date.parse(text);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function nextN(
  schedule: Parameters<typeof occurrencesOf>[0],
  from: string,
  n: number,
  timezone = 'UTC',
  anchor?: number,
): string[] {
  const occ = occurrencesOf(schedule, { timezone, ...(anchor === undefined ? {} : { anchor }) });
  const out: string[] = [];
  for (let at = occ.next(t(from)); at !== null && out.length < n; at = occ.next(at))
    out.push(iso(at) as string);
  return out;
}

describe('occurrences', () => {
  it('cron expressions: 5 fields, 6 fields with seconds, and the last occurrence at or before a time', () => {
    expect(nextN('0 9 * * 1-5', '2026-01-02T10:00:00Z', 3)).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-06T09:00:00.000Z',
      '2026-01-07T09:00:00.000Z',
    ]);
    expect(nextN({ cron: '*/20 * * * * *' }, '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
    const occ = occurrencesOf('*/30 * * * *', { timezone: 'UTC' });
    expect(iso(occ.latest(t('2026-01-01T00:30:00Z')))).toBe('2026-01-01T00:30:00.000Z');
    expect(iso(occ.latest(t('2026-01-01T00:29:59.999Z')))).toBe('2026-01-01T00:00:00.000Z');
    expect(occ.count(t('2026-01-01T00:00:00Z'), t('2026-01-01T03:00:00Z'), 1000)).toBe(6);
    expect(occ.count(t('2026-01-01T00:00:00Z'), t('2026-01-02T00:00:00Z'), 10)).toBe(10);
  });

  it('a daily 02:30 in Europe/Berlin runs once on 2026-03-29, at the first valid time after the gap', () => {
    expect(nextN('30 2 * * *', '2026-03-27T00:00:00Z', 4, 'Europe/Berlin')).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('America/New_York keeps 09:00 local across spring forward, and 01:30 runs once on the fall-back day', () => {
    expect(nextN('0 9 * * *', '2026-03-07T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
    expect(nextN('30 1 * * *', '2026-10-31T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('intervals count from their anchor; the first run is one interval after it', () => {
    const anchor = t('2026-01-01T10:07:00Z');
    expect(nextN({ every: '30m' }, '2026-01-01T10:07:00Z', 3, 'UTC', anchor)).toEqual([
      '2026-01-01T10:37:00.000Z',
      '2026-01-01T11:07:00.000Z',
      '2026-01-01T11:37:00.000Z',
    ]);
    const occ = occurrencesOf({ every: '1h' }, { timezone: 'UTC', anchor });
    expect(occ.latest(anchor + 59 * 60_000)).toBeNull();
    expect(iso(occ.latest(anchor + 61 * 60_000))).toBe('2026-01-01T11:07:00.000Z');
    // Config jobs count from the epoch, so a restart keeps the same grid.
    expect(nextN({ every: '30m' }, '2026-01-01T10:07:00Z', 1)).toEqual(['2026-01-01T10:30:00.000Z']);
  });

  it('one-shot times: with an offset, or wall-clock time in the job zone', () => {
    expect(iso(resolveAt('2026-04-01T09:00:00+02:00', 'UTC'))).toBe('2026-04-01T07:00:00.000Z');
    expect(iso(resolveAt('2026-04-01T09:00', 'Europe/Berlin'))).toBe('2026-04-01T07:00:00.000Z');
    expect(iso(resolveAt('2026-01-15T09:00:00', 'America/New_York'))).toBe('2026-01-15T14:00:00.000Z');
    const occ = occurrencesOf({ at: '2026-04-01T09:00:00Z' }, { timezone: 'UTC' });
    expect(iso(occ.next(t('2026-03-01T00:00:00Z')))).toBe('2026-04-01T09:00:00.000Z');
    expect(occ.next(t('2026-04-01T09:00:00Z'))).toBeNull();
  });

  it('durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('30')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('cron config section', () => {
  const problems = (cron: unknown) => {
    const result = parseConfigValue({ cron }, {});
    return result.ok ? [] : result.problems.map(formatProblem);
  };

  it('accepts every schedule shape', () => {
    expect(
      problems({
        timezone: 'Europe/Berlin',
        catchUpMinutes: 30,
        jobs: [
          {
            id: 'digest',
            schedule: '0 8 * * *',
            message: 'Summarize my day',
            deliver: { channel: 'telegram', to: '123' },
          },
          { id: 'sec', schedule: { cron: '*/10 * * * * *' }, message: 'x', tz: 'America/New_York' },
          { id: 'poll', schedule: { every: '30m' }, message: 'x', retry: { attempts: 3, delay: '1m' } },
          {
            id: 'once',
            schedule: { at: '2026-04-01T09:00:00+02:00' },
            message: 'x',
            mode: 'text',
            enabled: false,
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names the path and the problem for bad jobs', () => {
    expect(problems({ jobs: [{ id: 'a', schedule: '61 * * * *', message: 'x' }] })[0]).toMatch(
      /^cron\.jobs\[0\]\.schedule: invalid cron expression "61 \* \* \* \*"/,
    );
    expect(problems({ jobs: [{ id: 'a', schedule: '* * *', message: 'x' }] })[0]).toMatch(
      /cron\.jobs\[0\]\.schedule: invalid cron expression/,
    );
    expect(problems({ jobs: [{ id: 'a', schedule: { every: '5s' }, message: 'x' }] })[0]).toMatch(
      /cron\.jobs\[0\]\.schedule.*at least 10s/,
    );
    expect(
      problems({
        jobs: [{ id: 'a', schedule: { every: '1h', at: '2026-04-01T09:00:00Z' }, message: 'x' }],
      })[0],
    ).toMatch(/exactly one of cron, every, at/);
    expect(problems({ jobs: [{ id: 'a', schedule: { at: 'tomorrow' }, message: 'x' }] })[0]).toMatch(
      /ISO-8601/,
    );
    expect(
      problems({ jobs: [{ id: 'a', schedule: '0 9 * * *', message: 'x', tz: 'Mars/Olympus' }] }),
    ).toEqual(['cron.jobs[0].tz: expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"']);
    expect(problems({ timezone: 'Nowhere' })[0]).toMatch(/^cron\.timezone: expected an IANA time zone/);
    expect(problems({ jobs: [{ id: 'Bad Id', schedule: '0 9 * * *', message: 'x' }] })[0]).toMatch(
      /^cron\.jobs\[0\]\.id: expected an id/,
    );
    expect(
      problems({
        jobs: [
          { id: 'a', schedule: '0 9 * * *', message: 'x' },
          { id: 'a', schedule: '0 9 * * *', message: 'y' },
        ],
      }),
    ).toEqual(['cron.jobs[1].id: duplicate job id "a"']);
    expect(problems({ jobs: [{ id: 'a', schedule: '0 9 * * *', mesage: 'x' }] }).join('\n')).toMatch(
      /mesage: unknown key \(did you mean message\?\)/,
    );
  });
});
