import { randomToken } from '../auth/token';
import type { GatewayContext } from '../context';
import { GatewayError, toErrorShape } from '../errors';
import { formatIssues } from '../zod-issues';
import {
  CONNECT_TIMEOUT_MS,
  connectParams,
  type EventFrame,
  type HelloOk,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type RequestId,
  type ResponseFrame,
  requestFrame,
} from './frames';
import type { MethodDef } from './method';

// The methods table (every method's code and params schema) is loaded with the first control
// connection, not at start: a gateway serving only chat channels never compiles it. Kept once
// loaded, so a request awaits a settled promise instead of going through the module loader.
let methodsTable: Promise<Record<string, MethodDef>> | undefined;
const loadMethods = (): Promise<Record<string, MethodDef>> =>
  (methodsTable ??= import('./methods/index').then((module) => module.METHODS));

/** The transport under a control connection: a `ws` socket on Node, a hibernatable one on Workers. */
export interface ControlSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

export interface ControlConnection {
  onMessage(data: string | ArrayBuffer | Uint8Array): void;
  onClose(): void;
}

export interface ControlConnectionOptions {
  /** The peer's address, for the auth throttle. */
  address: string;
  /** Rebuilds an already authenticated connection (a hibernated Workers socket waking up). */
  resumeAuthenticated?: boolean;
  /** Called once the `connect` handshake succeeded. */
  onAuthenticated?: () => void;
}

/** WebSocket close code for policy violations (bad auth, no connect in time). */
export const CLOSE_POLICY = 1008;

/**
 * One control connection, runtime-neutral: challenge, `connect` handshake with the gateway
 * token, then `req` → `res` with events pushed as `event{event,payload,seq}`.
 */
export function openControlConnection(
  ctx: GatewayContext,
  socket: ControlSocket,
  options: ControlConnectionOptions,
): ControlConnection {
  const connectionId = randomToken(8);
  const abort = new AbortController();
  const log = ctx.log.scope('ws');
  let state: 'challenged' | 'authenticating' | 'ready' | 'closed' = 'challenged';
  let seq = 0;
  const unsubscribers: Array<() => void> = [];

  const send = (frame: ResponseFrame | EventFrame): void => {
    if (state === 'closed') return;
    try {
      socket.send(JSON.stringify(frame));
    } catch {
      // The socket closed under us; onClose will clean up.
    }
  };
  const sendEvent = (event: string, payload: unknown) => send({ type: 'event', event, payload, seq: ++seq });
  const sendError = (id: RequestId | null, error: unknown) =>
    send({ type: 'res', id, ok: false, error: toErrorShape(error) });
  const close = (reason: string) => {
    if (state === 'closed') return;
    socket.close(CLOSE_POLICY, reason);
    finish();
  };
  const isClosed = () => state === 'closed';
  const finish = () => {
    state = 'closed';
    cancelConnectTimer();
    abort.abort();
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  };

  const subscribe = () => {
    unsubscribers.push(ctx.events.subscribe(sendEvent));
    unsubscribers.push(ctx.logs.subscribe((record) => sendEvent('log', record)));
  };
  let cancelConnectTimer = () => {};
  if (options.resumeAuthenticated) {
    state = 'ready';
    subscribe();
  } else {
    cancelConnectTimer = ctx.clock.setTimer(() => {
      if (state !== 'ready') close('connect timeout');
    }, CONNECT_TIMEOUT_MS);
    sendEvent('connect.challenge', { nonce: randomToken(16), protocol: PROTOCOL_VERSION });
  }

  async function handshake(id: RequestId, params: unknown): Promise<void> {
    const parsed = connectParams.safeParse(params);
    if (!parsed.success) {
      sendError(id, new GatewayError('INVALID_PARAMS', formatIssues(parsed.error.issues)));
      close('bad connect');
      return;
    }
    state = 'authenticating';
    try {
      await ctx.auth.verify(parsed.data.auth.token, options.address);
    } catch (error) {
      sendError(id, error);
      log.warn(`rejected control connection from ${options.address}: ${(error as Error).message}`);
      close('unauthorized');
      return;
    }
    const methods = await loadMethods();
    if (isClosed()) return;
    state = 'ready';
    cancelConnectTimer();
    subscribe();
    options.onAuthenticated?.();
    send({
      type: 'res',
      id,
      ok: true,
      payload: {
        type: 'hello-ok',
        protocol: PROTOCOL_VERSION,
        connectionId,
        server: { name: 'krabkrab', version: ctx.runtime.version, runtime: ctx.runtime.kind },
        methods: Object.keys(methods),
      } satisfies HelloOk,
    });
  }

  async function dispatch(id: RequestId, name: string, params: unknown): Promise<void> {
    const methods = await loadMethods();
    const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!method) return sendError(id, new GatewayError('METHOD_NOT_FOUND', `unknown method ${name}`));
    const parsed = method.params.safeParse(params);
    if (!parsed.success)
      return sendError(id, new GatewayError('INVALID_PARAMS', formatIssues(parsed.error.issues)));
    try {
      const payload = await method.handle(parsed.data, {
        ctx,
        connectionId,
        emit: sendEvent,
        signal: abort.signal,
      });
      send({ type: 'res', id, ok: true, payload: payload ?? null });
    } catch (error) {
      if (!(error instanceof GatewayError)) log.error(`method ${name} failed`, error);
      sendError(id, error);
    }
  }

  return {
    onMessage(data) {
      if (state === 'closed') return;
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      if (text.length > MAX_FRAME_BYTES || (typeof data !== 'string' && data.byteLength > MAX_FRAME_BYTES)) {
        return sendError(
          null,
          new GatewayError('PAYLOAD_TOO_LARGE', `frame larger than ${MAX_FRAME_BYTES} bytes`),
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return sendError(null, new GatewayError('BAD_REQUEST', 'frame is not valid JSON'));
      }
      const frame = requestFrame.safeParse(json);
      if (!frame.success) {
        const id = requestFrame.shape.id.safeParse((json as { id?: unknown } | null)?.id);
        return sendError(
          id.success ? id.data : null,
          new GatewayError('BAD_REQUEST', `bad frame: ${formatIssues(frame.error.issues)}`),
        );
      }
      const { id, method, params } = frame.data;
      if (state === 'challenged') {
        if (method !== 'connect') {
          sendError(id, new GatewayError('UNAUTHORIZED', 'send connect first'));
          return close('unauthorized');
        }
        void handshake(id, params);
        return;
      }
      if (state === 'authenticating')
        return sendError(id, new GatewayError('BAD_REQUEST', 'connect in progress'));
      if (method === 'connect') return sendError(id, new GatewayError('BAD_REQUEST', 'already connected'));
      void dispatch(id, method, params);
    },
    onClose: finish,
  };
}
