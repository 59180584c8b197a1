import * as z from '../zod';

// A log record as the control protocol carries it (`logs.tail`, the `log` event): zod schemas,
// types inferred; `logger.ts` exports the types under their usual names. Runtime code imports
// only types from here, so neither schema is built at start (the logger is on the start path).

export const logLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof logLevel>;

export const logRecord = z.object({
  seq: z.number(),
  ts: z.number(),
  level: logLevel,
  scope: z.string(),
  message: z.string(),
  /** The line as printed: `[scope] message`, already redacted. */
  line: z.string(),
});
export type LogRecord = z.infer<typeof logRecord>;
