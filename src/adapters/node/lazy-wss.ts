import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../core/log/logger';

export interface LazyWebSocketServerOptions {
  /** Where a failed load is reported. */
  log: Pick<Logger, 'error'>;
  /** Loads `ws` (tests hand in one that fails). */
  load?: () => Promise<Pick<typeof import('ws'), 'WebSocketServer'>>;
}

/**
 * The `ws` WebSocketServer that @hono/node-server hands upgrades to, loaded on the first upgrade
 * instead of at start: `ws` brings `tls`, `https` and `zlib` with it, a few ms of every start for
 * a gateway that may never see a control connection. node-server uses a small part of the server:
 * `options.noServer`, its events (`connection`, `headers`), `handleUpgrade` and `close`.
 *
 * `handleUpgrade` is synchronous in node-server (it removes its `headers` listener right after), so
 * the real server must exist by then: {@link ready} loads it, and server.ts awaits it before the app
 * sees an upgrade request, which is before node-server calls `handleUpgrade`. A load that fails
 * (EMFILE, a package being replaced) is logged and not kept: the next upgrade loads again.
 */
export class LazyWebSocketServer extends EventEmitter {
  readonly options = { noServer: true } as const;
  #real: WebSocketServer | undefined;
  #loading: Promise<WebSocketServer> | undefined;
  #closed = false;

  readonly #log: Pick<Logger, 'error'>;
  readonly #load: NonNullable<LazyWebSocketServerOptions['load']>;

  constructor(
    private readonly maxPayload: number,
    options: LazyWebSocketServerOptions,
  ) {
    super();
    this.#log = options.log;
    this.#load = options.load ?? (() => import('ws'));
  }

  /** Loads `ws` and makes the real server, once it succeeds. */
  ready(): Promise<WebSocketServer> {
    this.#loading ??= this.#load().then(
      ({ WebSocketServer }) => {
        const real = new WebSocketServer({ noServer: true, maxPayload: this.maxPayload });
        // node-server adds the upgrade response's headers through this event (on our object).
        real.on('headers', (headers: string[], request: IncomingMessage) =>
          this.emit('headers', headers, request),
        );
        if (this.#closed) real.close();
        this.#real = real;
        return real;
      },
      (error: unknown) => {
        this.#loading = undefined;
        this.#log.error(
          'could not load ws, this control connection is refused (the next one loads it again)',
          error,
        );
        throw error;
      },
    );
    return this.#loading;
  }

  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (ws: WebSocket, request: IncomingMessage) => void,
  ): void {
    // Unreachable by construction (see above); refusing beats a socket left hanging.
    if (!this.#real) {
      socket.destroy();
      return;
    }
    this.#real.handleUpgrade(request, socket, head, callback);
  }

  /** The open connections (none before the first upgrade). */
  get clients(): ReadonlySet<WebSocket> {
    return this.#real?.clients ?? new Set();
  }

  close(): void {
    this.#closed = true;
    this.#real?.close();
  }
}
