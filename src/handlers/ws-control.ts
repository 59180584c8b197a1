import type { WSEvents } from 'hono/ws';
import type { GatewayContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { type ControlConnection, openControlConnection } from '../core/protocol/connection';
import { errorResponse } from './respond';

/** The control WebSocket's paths: the Control UI opens `/`, the CLI and other clients `/ws`. */
export const CONTROL_WS_PATHS: readonly string[] = ['/', '/ws'];

/** Whether `req` asks for the control WebSocket (a GET upgrade on one of its paths). */
export function isControlUpgrade(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.headers.get('upgrade')?.toLowerCase() === 'websocket' &&
    CONTROL_WS_PATHS.includes(new URL(req.url).pathname)
  );
}

/**
 * The guard every runtime runs on a control upgrade before accepting it (Node's app and the
 * Workers Durable Object): a 403 for a foreign Origin, or undefined to go ahead. The token is
 * checked after the upgrade by the `connect` handshake (`openControlConnection`), the same
 * code on both.
 */
export function refuseControlUpgrade(
  req: Request,
  deps: Pick<GatewayContext, 'config' | 'log'>,
): Response | undefined {
  if (originAllowed(req, deps.config().gateway?.allowedOrigins)) return undefined;
  deps.log.scope('ws').warn(`refused upgrade from origin ${req.headers.get('origin')}`);
  return errorResponse(new GatewayError('FORBIDDEN', 'WebSocket origin not allowed'));
}

/** Runtime-neutral WebSocket hooks for the control protocol; each adapter's upgrade helper calls them. */
export function controlSocketEvents(ctx: GatewayContext, address: string): WSEvents {
  let connection: ControlConnection | undefined;
  return {
    onOpen(_event, ws) {
      connection = openControlConnection(
        ctx,
        { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason) },
        { address },
      );
    },
    onMessage(event) {
      connection?.onMessage(event.data as string | ArrayBuffer);
    },
    onClose() {
      connection?.onClose();
    },
    onError() {
      connection?.onClose();
    },
  };
}

/**
 * A browser always sends `Origin` on a WebSocket upgrade; a page from another site must not
 * drive the gateway with the owner's browser. Non-browser clients send no Origin.
 */
export function originAllowed(req: Request, allowedOrigins: readonly string[] = []): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  return host !== null && originHost.toLowerCase() === host.toLowerCase();
}
