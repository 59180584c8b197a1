import type { Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { createAdaptorServer, upgradeWebSocket } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { GatewayContext } from '../../core/context';
import { MAX_FRAME_BYTES } from '../../core/protocol/frames';
import { createApp } from '../../handlers/app';
import { CliError } from './exit-codes';
import { type ProxyTrust, proxyTrustFor } from './trusted-proxies';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address, which keys the auth throttle. Behind Fly's proxy every connection comes
 * from the proxy, so the client's address is its `Fly-Client-IP` header; but the header is believed
 * only when the TCP peer is a trusted proxy: any client reaching the port directly could set it,
 * choosing its own throttle key (escaping the lockout) or someone else's (locking them out).
 */
export function clientAddress(bindings: unknown, req: Request, trusted: ProxyTrust): string {
  const peer = (bindings as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (peer === undefined) return 'unknown';
  const fly = req.headers.get('fly-client-ip');
  return fly && isIP(fly) !== 0 && trusted(peer) ? fly : peer;
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
  onFly: boolean,
): Promise<ListeningServer> {
  const trusted = proxyTrustFor(() => ctx.config().gateway?.trustedProxies, onFly);
  // Frames up to 4x the protocol limit are read so the client gets an error frame; larger ones close the socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_FRAME_BYTES });
  const app = createApp(ctx, {
    clientAddress: (bindings, req) => clientAddress(bindings, req, trusted),
    upgradeWebSocket,
  });
  const server = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } }) as Server;
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
