import type { HelloOk } from '../../core/protocol/frames';
import type { ConfigProblem } from '../../core/protocol/payloads/setup';
import { type Clock, systemClock } from '../../core/runtime/clock';
import { backoffDelay } from './backoff';

/** What the gateway says after a good `connect`. */
export type Hello = HelloOk;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ClientStatus {
  state: ConnectionState;
  /** Failed attempts since the last good connection. */
  attempt: number;
  /** When the next reconnect attempt starts (ms since epoch). */
  retryAt?: number;
  hello?: Hello;
  /** Why the connection was given up (wrong token, throttled). */
  error?: RequestError;
}

/** An error frame from the gateway, or a local failure (`DISCONNECTED`, `TIMEOUT`). */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** The problems by dotted path a refused `config.apply` carries in its error's details, if any. */
export function configProblemsOf(err: unknown): ConfigProblem[] | undefined {
  return err instanceof RequestError
    ? (err.details as { problems?: ConfigProblem[] } | undefined)?.problems
    : undefined;
}

type EventListener = (event: string, payload: unknown) => void;
type Frame = {
  type?: string;
  id?: string | number | null;
  ok?: boolean;
  payload?: unknown;
  event?: string;
  error?: { code: string; message: string; retryAfterMs?: number; details?: unknown };
};
interface Pending {
  resolve(value: unknown): void;
  reject(error: RequestError): void;
  cancelTimer: () => void;
}

export interface ClientOptions {
  /** Only for tests of this module; the UI always uses its own origin. */
  url?: string;
  clientVersion?: string;
  WebSocketCtor?: typeof WebSocket;
  /** Only for tests of this module: reconnect backoff and request timeouts run on it. */
  clock?: Clock;
}

/** The control endpoint of the gateway that served this page, and no other (CVE-2026-25253). */
export function sameOriginSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

const CONNECT_ID = 'connect';

/**
 * One control connection with automatic reconnect (backoff). The token goes only into the
 * `connect` frame. A rejected token ends it: reconnecting would only feed the throttle.
 */
export class GatewayClient {
  status: ClientStatus = { state: 'connecting', attempt: 0 };
  private socket?: WebSocket;
  private pending = new Map<string, Pending>();
  private listeners = new Set<EventListener>();
  private statusListeners = new Set<(status: ClientStatus) => void>();
  private nextId = 0;
  private cancelRetry: () => void = () => {};
  private stopped = false;
  private first: { resolve(hello: Hello): void; reject(error: RequestError): void } | undefined;
  private readonly url: string;
  private readonly clock: Clock;

  constructor(
    private readonly token: string,
    private readonly options: ClientOptions = {},
  ) {
    this.url = options.url ?? sameOriginSocketUrl();
    this.clock = options.clock ?? systemClock;
  }

  /** Opens the connection; resolves on hello-ok, rejects when the gateway refuses the token. */
  connect(): Promise<Hello> {
    const done = new Promise<Hello>((resolve, reject) => (this.first = { resolve, reject }));
    this.open();
    return done;
  }

  /** Whether the gateway offers a method (other features land over time). */
  has(method: string): boolean {
    return this.status.hello?.methods.includes(method) ?? false;
  }

  request<T = unknown>(method: string, params?: unknown, timeoutMs = 30_000): Promise<T> {
    const socket = this.socket;
    if (!socket || this.status.state !== 'connected') {
      return Promise.reject(new RequestError('DISCONNECTED', 'not connected to the gateway'));
    }
    const id = `r${++this.nextId}`;
    return new Promise<T>((resolve, reject) => {
      const cancelTimer = this.clock.setTimer(() => {
        this.pending.delete(id);
        reject(new RequestError('TIMEOUT', `${method} got no answer in ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, cancelTimer });
      socket.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: ClientStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Skips the backoff wait. */
  reconnectNow(): void {
    if (this.stopped || this.status.state !== 'reconnecting') return;
    this.cancelRetry();
    this.open();
  }

  close(): void {
    this.stopped = true;
    this.cancelRetry();
    this.socket?.close(1000, 'closed by the owner');
    this.socket = undefined;
    this.failPending('closed');
    this.setStatus({ state: 'closed', attempt: 0 });
  }

  private open(): void {
    const Ctor = this.options.WebSocketCtor ?? WebSocket;
    const socket = new Ctor(this.url);
    this.socket = socket;
    let refused: RequestError | undefined;
    this.setStatus({
      ...this.status,
      state: this.status.hello || this.status.attempt > 0 ? 'reconnecting' : 'connecting',
      retryAt: undefined,
    });
    socket.onmessage = (message) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(message.data)) as Frame;
      } catch {
        return;
      }
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        socket.send(
          JSON.stringify({
            type: 'req',
            id: CONNECT_ID,
            method: 'connect',
            params: {
              protocol: 1,
              auth: { token: this.token },
              client: { name: 'krabkrab-control-ui', version: this.options.clientVersion },
            },
          }),
        );
      } else if (frame.type === 'event' && frame.event) {
        for (const listener of this.listeners) listener(frame.event, frame.payload);
      } else if (frame.type === 'res' && frame.id === CONNECT_ID) {
        if (frame.ok) {
          const hello = frame.payload as Hello;
          this.setStatus({ state: 'connected', attempt: 0, hello });
          this.first?.resolve(hello);
          this.first = undefined;
        } else {
          refused = toError(frame.error);
        }
      } else if (frame.type === 'res' && frame.id != null) {
        const waiting = this.pending.get(String(frame.id));
        if (!waiting) return;
        this.pending.delete(String(frame.id));
        waiting.cancelTimer();
        if (frame.ok) waiting.resolve(frame.payload);
        else waiting.reject(toError(frame.error));
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.failPending('connection lost');
      if (this.stopped) return;
      if (refused && refused.code !== 'RATE_LIMITED') return this.giveUp(refused);
      if (refused && !this.status.hello) return this.giveUp(refused);
      const attempt = this.status.attempt + 1;
      const delay = Math.max(backoffDelay(attempt - 1), refused?.retryAfterMs ?? 0);
      this.setStatus({
        state: 'reconnecting',
        attempt,
        retryAt: this.clock.now() + delay,
        hello: this.status.hello,
      });
      this.cancelRetry = this.clock.setTimer(() => this.open(), delay);
    };
  }

  private giveUp(error: RequestError): void {
    this.stopped = true;
    this.setStatus({ state: 'closed', attempt: 0, error });
    this.first?.reject(error);
    this.first = undefined;
  }

  private failPending(reason: string): void {
    for (const [id, waiting] of this.pending) {
      waiting.cancelTimer();
      waiting.reject(new RequestError('DISCONNECTED', reason));
      this.pending.delete(id);
    }
  }

  private setStatus(status: ClientStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function toError(error: Frame['error']): RequestError {
  return new RequestError(
    error?.code ?? 'INTERNAL',
    error?.message ?? 'unknown error',
    error?.retryAfterMs,
    error?.details,
  );
}
