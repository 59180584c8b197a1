import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The phone has this long to scan before the linking gives up. */
export const SIGNAL_LINK_TIMEOUT_MS = 5 * 60_000;

export interface SignalLinkOptions {
  cliPath: string;
  env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  /** The `sgnl://linkdevice?...` URI signal-cli prints, which the QR code encodes. */
  onUri(uri: string): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** How this caller's user starts over, ending a failure that needs it (default: the page's "start again"). */
  again?: string;
}

/**
 * `signal-cli link -n krabkrab`: `krabkrab channels login signal` and the Control UI's *Link Signal*
 * both run this. Hands over the link URI, waits for the phone (Signal > Settings > Linked devices > +),
 * and resolves with the account signal-cli names ("Associated with: +..."), when it does.
 */
export function linkSignal(options: SignalLinkOptions): Promise<{ account?: string }> {
  const { cliPath } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(cliPath, ['link', '-n', 'krabkrab'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env as NodeJS.ProcessEnv,
    });
    const tail: string[] = [];
    let account: string | undefined;
    let shown = false;
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGTERM');
    };
    const timer = setTimeout(
      () =>
        stop(
          new Error(
            `the link was not confirmed on the phone within 5 minutes; ${options.again ?? 'start again'}`,
          ),
        ),
      options.timeoutMs ?? SIGNAL_LINK_TIMEOUT_MS,
    );
    const onAbort = () => stop(new Error('linking stopped'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const onLine = (line: string) => {
      const uri = /(sgnl:\/\/linkdevice\S+|tsdevice:\/?\S+)/.exec(line)?.[1];
      if (uri && !shown) {
        shown = true;
        options.onUri(uri);
        return;
      }
      account ??= /Associated with:\s*(\+\d+)/.exec(line)?.[1];
      tail.push(line);
      if (tail.length > 5) tail.shift();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${cliPath} not found: install signal-cli (Docker: build with --build-arg WITH_SIGNAL=1) or set channels.signal.cliPath`
            : `could not run ${cliPath}: ${error.message}`,
        ),
      );
    });
    child.once('close', (code) => {
      done();
      if (failure) return reject(failure);
      if (code !== 0)
        return reject(
          new Error(
            `signal-cli link failed (exit code ${code})${tail.length ? `: ${tail.join(' | ').slice(0, 400)}` : ''}`,
          ),
        );
      resolve(account ? { account } : {});
    });
  });
}
