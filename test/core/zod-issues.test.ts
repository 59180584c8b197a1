import { describe, expect, it } from 'vitest';
import * as z from '../../src/core/zod';
import { formatIssue, formatIssues } from '../../src/core/zod-issues';

describe('zod issues as one line', () => {
  const schema = z.strictObject({ items: z.array(z.object({ id: z.string() })), n: z.number() });
  const issues = () => {
    const parsed = schema.safeParse({ items: [{ id: 1 }], n: 'x' });
    if (parsed.success) throw new Error('expected a failure');
    return parsed.error.issues;
  };

  it('names each path as config problems do, at most five, joined by "; "', () => {
    expect(formatIssues(issues())).toMatch(/^items\[0\]\.id: .+; n: .+$/);
    const many = Array.from({ length: 8 }, (_, i) => ({ path: [`k${i}`], message: 'bad' }));
    expect(formatIssues(many).split('; ')).toHaveLength(5);
    expect(formatIssues(many, { max: 2, pathOf: (p) => `--${String(p[0])}` })).toBe('--k0: bad; --k1: bad');
  });

  it('a root issue is its message, or named by root; at prefixes the path', () => {
    expect(formatIssue({ path: [], message: 'expected an object' })).toBe('expected an object');
    expect(formatIssue({ path: [], message: 'invalid' }, { root: 'body' })).toBe('body: invalid');
    expect(formatIssue({ path: ['a'], message: 'bad' }, { at: ['entry', 0] })).toBe('entry[0].a: bad');
  });
});
