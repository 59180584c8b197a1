import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, upgradeWebSocket } from '@hono/node-server';
import type { WebSocketServer } from 'ws';
import type { GatewayContext } from '../../core/context';
import { MAX_FRAME_BYTES } from '../../core/protocol/frames';
import { createApp } from '../../handlers/app';
import { CliError } from './exit-codes';
import { LazyWebSocketServer } from './lazy-wss';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The peer address. Behind Fly's proxy every connection comes from the proxy, so the client's
 * address is taken from `Fly-Client-IP`, which the proxy sets; elsewhere headers are not trusted.
 */
export function clientAddress(bindings: unknown, req: Request, trustFlyHeader: boolean): string {
  if (trustFlyHeader) {
    const fly = req.headers.get('fly-client-ip');
    if (fly) return fly;
  }
  return (bindings as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export interface ListeningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serves the app (HTTP and the control WebSocket) on one port. */
export async function listen(
  ctx: GatewayContext,
  host: string,
  port: number,
  trustFlyHeader: boolean,
): Promise<ListeningServer> {
  // Frames up to 4x the protocol limit are read so the client gets an error frame; larger ones close the socket.
  const wss = new LazyWebSocketServer(4 * MAX_FRAME_BYTES, { log: ctx.log.scope('ws') });
  const app = createApp(ctx, {
    clientAddress: (bindings, req) => clientAddress(bindings, req, trustFlyHeader),
    upgradeWebSocket,
  });
  // node-server passes its WebSocket server in the bindings of an upgrade request (only there):
  // `ws` is loaded before the app sees the first one.
  const fetch = (request: Request, bindings: object) =>
    'wss' in bindings && bindings.wss === wss
      ? wss.ready().then(() => app.fetch(request, bindings))
      : app.fetch(request, bindings);
  const server = createAdaptorServer({
    fetch,
    websocket: { server: wss as unknown as WebSocketServer },
  }) as Server;
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE')
        reject(
          new CliError(`port ${port} is already in use (${where}); stop what uses it or pass another --port`),
        );
      else if (error.code === 'EACCES')
        reject(new CliError(`not allowed to listen on ${where}; use a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new CliError(`cannot listen on ${where}: no such address on this machine`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const client of wss.clients) client.close(1001, 'gateway stopping');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
