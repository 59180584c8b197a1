import type { LogLevel, LogRecord } from './log-record';
import { SecretRedactor } from './redact';

/** A log line and its level, as the control protocol carries them (schemas in `log-record.ts`). */
export type { LogLevel, LogRecord };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
  /** A logger for another scope sharing sinks, redaction and history. */
  scope(name: string): Logger;
}

export interface LogHub {
  logger: Logger;
  redactor: SecretRedactor;
  /** The most recent records, oldest first (the Control UI's log view starts from these). */
  recent(limit?: number): LogRecord[];
  subscribe(listener: (record: LogRecord) => void): () => void;
}

export interface LogHubOptions {
  write: (record: LogRecord) => void;
  now: () => number;
  debug?: boolean;
  historySize?: number;
}

/**
 * One readable, scope-prefixed line per event (`[gateway] listening on ...`), every line
 * passed through the secret redactor before it reaches a sink or a subscriber.
 */
export function createLogHub(options: LogHubOptions): LogHub {
  const redactor = new SecretRedactor();
  const listeners = new Set<(record: LogRecord) => void>();
  const history: LogRecord[] = [];
  const historySize = options.historySize ?? 500;
  let seq = 0;

  function emit(level: LogLevel, scope: string, message: string): void {
    if (level === 'debug' && !options.debug) return;
    const text = redactor.redact(message);
    const record: LogRecord = {
      seq: ++seq,
      ts: options.now(),
      level,
      scope,
      message: text,
      line: `[${scope}] ${text}`,
    };
    history.push(record);
    if (history.length > historySize) history.shift();
    options.write(record);
    for (const listener of listeners) {
      try {
        listener(record);
      } catch {
        // A broken subscriber (a closed socket) must never break logging.
      }
    }
  }

  function make(scope: string): Logger {
    return {
      debug: (message) => emit('debug', scope, message),
      info: (message) => emit('info', scope, message),
      warn: (message) => emit('warn', scope, message),
      error: (message, cause) =>
        emit('error', scope, cause === undefined ? message : `${message}: ${describeCause(cause)}`),
      scope: (name) => make(name),
    };
  }

  return {
    logger: make('gateway'),
    redactor,
    recent: (limit = historySize) => history.slice(-limit),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
