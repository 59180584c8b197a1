import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LinearRouter } from 'hono/router/linear-router';
import { bearerToken } from '../core/auth/token';
import type { GatewayContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { errorResponse } from './respond';
import { ROUTES } from './routes';
import type { AppRuntime, Route } from './types';
import { CONTROL_WS_PATHS, controlSocketEvents, isControlUpgrade, refuseControlUpgrade } from './ws-control';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The gateway's HTTP + WebSocket app, the same on every runtime. */
export function createApp(ctx: GatewayContext, runtime: AppRuntime, routes: Route[] = ROUTES): Hono {
  // About twenty routes: a linear scan matches them as fast as a compiled regex would, and
  // there is nothing to compile on the first request (a gateway and a Worker isolate start often).
  const app = new Hono({ router: new LinearRouter() });
  const addressOf = (c: { env: unknown; req: { raw: Request } }) => runtime.clientAddress(c.env, c.req.raw);

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () =>
      errorResponse(
        new GatewayError('PAYLOAD_TOO_LARGE', `request body larger than ${MAX_BODY_BYTES} bytes`),
      ),
  });
  // A GET or HEAD has no body (a web Request cannot carry one), and asking for it would make Node's
  // adapter build the full Request it otherwise leaves unbuilt for such a request.
  app.use('*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );

  if (runtime.upgradeWebSocket) {
    const upgrade = runtime.upgradeWebSocket((c) => controlSocketEvents(ctx, addressOf(c)));
    for (const path of CONTROL_WS_PATHS) {
      app.get(
        path,
        async (c, next) => {
          if (!isControlUpgrade(c.req.raw)) return next();
          return refuseControlUpgrade(c.req.raw, ctx) ?? next();
        },
        upgrade,
      );
    }
  }

  for (const route of routes) {
    app.on(route.method, route.path, async (c, next) => {
      if (route.match && !route.match(c.req.raw, ctx)) return next();
      const info = { address: addressOf(c) };
      if (route.auth === 'bearer') await requireBearer(c.req.raw, ctx, info.address);
      return route.handler(c.req.raw, ctx, info);
    });
  }

  app.notFound(() => errorResponse(new GatewayError('NOT_FOUND', 'no such route')));
  app.onError((error) => {
    // decodeURIComponent of a client's malformed escape (`%`, `%E0%A4%A`) throws URIError: the
    // request is bad, not the gateway, whichever handler decoded it.
    if (error instanceof URIError)
      return errorResponse(new GatewayError('BAD_REQUEST', 'malformed percent-escape in the URL'));
    if (!(error instanceof GatewayError)) ctx.log.scope('http').error('request failed', error);
    return errorResponse(error);
  });
  return app;
}

async function requireBearer(
  req: Request,
  ctx: Pick<GatewayContext, 'auth'>,
  address: string,
): Promise<void> {
  const token = bearerToken(req.headers.get('authorization'));
  if (!token && new URL(req.url).searchParams.has('token')) {
    throw new GatewayError(
      'UNAUTHORIZED',
      'tokens in URLs are not accepted; send Authorization: Bearer <token>',
    );
  }
  await ctx.auth.verify(token, address);
}
