import { createSignalAdapter } from '../../../core/channels/signal/adapter';
import { acceptSignalEvent } from '../../../core/channels/signal/inbound';
import type { SignalReceive } from '../../../core/channels/signal/normalize';
import { signalBaseUrl, signalConfigOf, signalEnabled } from '../../../core/channels/signal/settings';
import { readSse } from '../../../core/channels/signal/sse';
import type { GatewayContext } from '../../../core/context';
import { createBackoff } from '../../../core/runtime/backoff';
import type { ChannelRun } from '../channel-run-service';
import { freeLoopbackPort } from '../free-port';
import { type SignalDaemon, startSignalDaemon } from './daemon';

export const BACKOFF_MS = { first: 500, max: 30_000 };

/** What a run reads: `channels.signal`, the channel registry and the pipeline it feeds. */
export type SignalRunContext = Pick<GatewayContext, 'config' | 'log' | 'clock' | 'channels' | 'pipeline'>;

/**
 * One run of the Signal channel: with `autoStart` it starts signal-cli's daemon (and again if it
 * dies), else it uses `httpUrl`; it reads the daemon's event stream (`GET /api/v1/events`, SSE)
 * and hands each message to the pipeline in order, reconnecting with backoff when the stream
 * drops. Returns at once; `stop` ends the stream and the daemon it started.
 */
export function startSignalRun(ctx: SignalRunContext, env: NodeJS.ProcessEnv): ChannelRun | undefined {
  const log = ctx.log.scope('signal');
  const config = signalConfigOf(ctx);
  if (!signalEnabled(config)) {
    if (ctx.config().channels?.signal) ctx.channels.setStatus('signal', { state: 'disabled' });
    return undefined;
  }
  const mode = config.autoStart ? 'autoStart' : 'httpUrl';
  const account = config.account;
  let baseUrl = signalBaseUrl(config);
  ctx.channels.register(createSignalAdapter(ctx, () => baseUrl));
  const login = account;
  const status = (state: 'starting' | 'connected' | 'reconnecting' | 'failed' | 'stopped', error?: string) =>
    ctx.channels.setStatus('signal', {
      state,
      mode,
      ...(login ? { login } : {}),
      ...(error ? { error } : {}),
    });
  status('starting');
  const abort = new AbortController();
  let daemon: SignalDaemon | undefined;
  let stream: AbortController | undefined;

  const work = (async () => {
    if (config.autoStart && !account) {
      const reason =
        'channels.signal.account is required with autoStart (the number signal-cli is registered or linked as)';
      log.error(reason);
      return status('failed', reason);
    }
    const backoff = createBackoff(ctx.clock, BACKOFF_MS);
    // One listener for the whole run: stopping aborts whichever stream is open then.
    abort.signal.addEventListener('abort', () => stream?.abort(), { once: true });
    let announced = false;
    while (!abort.signal.aborted) {
      let streaming = false;
      try {
        if (config.autoStart && !daemon?.alive()) {
          const port = config.httpUrl
            ? Number(new URL(config.httpUrl).port || 8080)
            : await freeLoopbackPort();
          daemon = await startSignalDaemon({
            cliPath: config.cliPath ?? 'signal-cli',
            account: account!,
            port,
            log,
            env,
            signal: abort.signal,
          });
          baseUrl = daemon.url;
          log.info(`started signal-cli daemon (PID ${daemon.pid}) on ${daemon.url}`);
          void daemon.exited.then((how) => {
            if (!abort.signal.aborted) log.warn(`signal-cli daemon ended (${how}); restarting it`);
            stream?.abort();
          });
        }
        stream = new AbortController();
        const query = account ? `?account=${encodeURIComponent(account)}` : '';
        const res = await fetch(`${baseUrl}/api/v1/events${query}`, {
          signal: stream.signal,
          headers: { accept: 'text/event-stream' },
        });
        if (!res.ok || !res.body) throw new Error(`the event stream answered HTTP ${res.status}`);
        if (!announced)
          log.info(`logged in to signal as ${account ?? "the daemon's account"} (signal-cli at ${baseUrl})`);
        else log.info('event stream from signal-cli reconnected');
        announced = true;
        status('connected');
        streaming = true;
        backoff.reset();
        for await (const event of readSse(res.body)) {
          if (event.event !== 'receive') continue;
          await handle(event.data);
        }
        if (abort.signal.aborted) return;
        log.warn(`event stream from signal-cli ended; reconnecting in ${backoff.delay / 1000} s`);
        status('reconnecting', 'event stream ended');
      } catch (error) {
        if (abort.signal.aborted) return;
        const reason = (error as Error).message;
        if (/not found: install signal-cli/.test(reason)) {
          log.error(reason);
          return status('failed', reason);
        }
        // A stream cut mid-way (daemon restarted, proxy timeout) is a drop, not an outage.
        if (streaming)
          log.warn(
            `event stream from signal-cli dropped (${reason}); reconnecting in ${backoff.delay / 1000} s`,
          );
        else log.warn(`signal-cli unreachable (${reason}); retrying in ${backoff.delay / 1000} s`);
        status('reconnecting', reason);
      }
      await backoff.wait(abort.signal);
    }
  })().catch((error) => {
    log.error('signal channel failed', error);
    status('failed', (error as Error).message);
  });

  async function handle(data: string): Promise<void> {
    let event: SignalReceive;
    try {
      event = JSON.parse(data) as SignalReceive;
    } catch {
      log.warn('signal-cli sent an event that is not JSON; skipped');
      return;
    }
    try {
      await acceptSignalEvent(ctx, event, { baseUrl, ...(account ? { account } : {}) });
    } catch (error) {
      log.error('could not accept a signal message', error);
    }
  }

  return {
    async stop() {
      abort.abort();
      stream?.abort();
      await work;
      if (daemon) {
        await daemon.stop();
        log.info(`stopped signal-cli daemon (PID ${daemon.pid})`);
      }
      status('stopped');
    },
  };
}
