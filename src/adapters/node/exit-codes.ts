/** Exit codes users' scripts can rely on. 78 is sysexits' EX_CONFIG. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, CONFIG: 78 } as const;

/** An error that ends a CLI command with a message (no stack trace) and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.ERROR,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
