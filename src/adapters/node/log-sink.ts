import type { LogRecord } from '../../core/log/logger';

/** One plain line per event on stdout (warnings and errors on stderr), as `fly logs` shows them. */
export function writeLogLine(record: LogRecord): void {
  const stream = record.level === 'warn' || record.level === 'error' ? process.stderr : process.stdout;
  stream.write(`${record.line}\n`);
}
