import type { LogRecord } from '../../core/log/logger';
/** A log record as the gateway sends it, already redacted. */
export type LogLine = LogRecord;

const MAX_LINES = 2000;

/**
 * The live tail shared by the whole UI: `logs.tail` fills it on (re)connect, `log` events append.
 * Kept outside the Logs view so switching views loses nothing.
 */
export class LogBuffer {
  lines: LogLine[] = [];
  private listeners = new Set<() => void>();

  /** Replaces the buffer with the gateway's recent history, keeping live lines that arrived meanwhile. */
  fill(history: LogLine[]): void {
    const last = history.length ? history[history.length - 1]!.seq : 0;
    const newer = this.lines.filter((line) => line.seq > last);
    this.lines = [...history, ...newer].slice(-MAX_LINES);
    this.notify();
  }

  push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export function isLogLine(value: unknown): value is LogLine {
  const v = value as LogLine | null;
  return !!v && typeof v.seq === 'number' && typeof v.line === 'string';
}
