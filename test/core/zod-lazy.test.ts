import { describe, expect, it } from 'vitest';
import * as z from '../../src/core/zod';
import { isSchemaBuilt, lazySchema } from '../../src/core/zod-lazy';

describe('lazySchema', () => {
  it('builds its schema once, on the first parse that reaches it, and answers as the schema would', () => {
    let builds = 0;
    const section = lazySchema(() => {
      builds += 1;
      return z.strictObject({ port: z.number().int() });
    });
    const root = z.strictObject({ section: section.optional(), other: z.string().optional() });
    expect(root.parse({ other: 'x' })).toEqual({ other: 'x' });
    expect(builds).toBe(0);
    expect(isSchemaBuilt(section)).toBe(false);

    expect(root.parse({ section: { port: 1 } })).toEqual({ section: { port: 1 } });
    const failed = root.safeParse({ section: { port: 1.5, extra: true } });
    expect(failed.error?.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['section.port', 'invalid_type'],
      ['section', 'unrecognized_keys'],
    ]);
    expect(z.toJSONSchema(root, { io: 'input' }).required).toBeUndefined();
    expect(builds).toBe(1);
    expect(isSchemaBuilt(section)).toBe(true);
  });

  it('refuses a schema that is optional itself: .optional() goes outside', () => {
    const wrong = lazySchema(() => z.string().optional());
    expect(() => wrong.parse('x')).toThrow('put .optional() outside');
  });
});
