import type { WSEvents } from 'hono/ws';
import type { GatewayContext } from '../core/context';
import { type ControlConnection, openControlConnection } from '../core/protocol/connection';

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
