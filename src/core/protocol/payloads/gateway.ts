import { logRecord } from '../../log/log-record';
import * as z from '../../zod';

// Nothing imports these schemas at runtime: `status.ts`, the methods and the Control UI import
// their types.

/**
 * `status` (and `GET /api/status`): facts about the running gateway, then one section per concept
 * (channels, models, tunnel, agents, mcp, usage, ...), each typed by its owner.
 */
export const gatewayStatus = z.looseObject({
  version: z.string(),
  runtime: z.enum(['node', 'workers']),
  pid: z.number().optional(),
  phase: z.enum(['starting', 'ready', 'stopping']),
  uptimeMs: z.number(),
  /** ISO-8601. */
  startedAt: z.string(),
  bind: z.string().optional(),
  host: z.string().optional(),
  port: z.number().optional(),
  stateDir: z.string().optional(),
});
export type GatewayStatus = z.infer<typeof gatewayStatus>;

/** `logs.tail`: the newest log records, oldest first (the `log` event carries one more each). */
export const logsTail = z.object({ records: z.array(logRecord) });
export type LogsTail = z.infer<typeof logsTail>;
