import type { UpgradeWebSocket } from 'hono/ws';
import type { GatewayContext } from '../core/context';

/** What the adapter knows about one request that the web `Request` does not carry. */
export interface RequestInfo {
  /** The peer's address (behind Fly's proxy: the client's, from `Fly-Client-IP`). */
  address: string;
}

/**
 * A pure handler: web Request in, web Response out, with the gateway context. A route is an entry
 * point, so it gets the whole context; the helpers it calls take what they read.
 */
export type RouteHandler = (
  req: Request,
  ctx: GatewayContext,
  info: RequestInfo,
) => Response | Promise<Response>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: RouteHandler;
  /** `bearer`: requires `Authorization: Bearer <gateway token>`. */
  auth?: 'bearer';
  /** For paths set in the config (a wildcard `path` plus this check); a request it refuses goes on to the next route. */
  match?: (req: Request, ctx: Pick<GatewayContext, 'config'>) => boolean;
}

/** What an adapter supplies to build the app. */
export interface AppRuntime {
  clientAddress(raw: unknown, req: Request): string;
  upgradeWebSocket?: UpgradeWebSocket;
}
