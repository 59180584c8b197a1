import { GatewayError } from '../errors';
import type * as z from '../zod';
import { formatIssue } from '../zod-issues';

/**
 * Checks a platform payload against the shape of what the gateway reads from it; the first field
 * that does not fit is a BAD_REQUEST naming it (`malformed <what>: <path>: <problem>`), never a
 * TypeError deep in the normalizer that the platform would redeliver.
 */
export function assertPayloadShape(
  schema: z.ZodType,
  value: unknown,
  what: string,
  at: readonly PropertyKey[] = [],
): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0] ?? { path: [], message: 'invalid' };
  throw new GatewayError(
    'BAD_REQUEST',
    `malformed ${what}: ${formatIssue(issue, { at, root: '(top level)' })}`,
  );
}
