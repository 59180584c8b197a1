import type { GatewayContext } from '../core/context';
import { GatewayError } from '../core/errors';
import type { StaticAsset } from '../core/runtime/assets';
import { errorResponse } from './respond';
import type { RouteHandler } from './types';

/**
 * The UI runs only its own bundled code and talks only to the gateway that served it: no inline
 * script, no other origin for fetch/WebSocket, never framed (clickjacking), no form posts anywhere.
 */
export const CONTROL_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every Control UI response. */
export const CONTROL_UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTROL_UI_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `GET /`: the Control UI page (the WebSocket upgrade on the same path is taken before this). */
export const handleControlUi: RouteHandler = (req, ctx) => serveAsset(req, ctx, 'index.html');

/** `GET /ui/:name`: the UI's scripts, styles and icon. */
export const handleControlUiAsset: RouteHandler = (req, ctx) => {
  const name = decodedOrUndefined(new URL(req.url).pathname.slice('/ui/'.length));
  if (name === undefined || !ASSET_NAME.test(name))
    return errorResponse(new GatewayError('NOT_FOUND', 'no such file'));
  return serveAsset(req, ctx, name);
};

/** A malformed escape (`%`, `%E0%A4%A`) names no asset: undefined, answered 404 like any unknown name. */
function decodedOrUndefined(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

async function serveAsset(
  req: Request,
  ctx: Pick<GatewayContext, 'config' | 'assets'>,
  name: string,
): Promise<Response> {
  if (ctx.config().gateway?.controlUi?.enabled === false) {
    return errorResponse(
      new GatewayError('NOT_FOUND', 'the Control UI is switched off (gateway.controlUi.enabled: false)'),
    );
  }
  if (!ctx.assets) {
    return errorResponse(
      new GatewayError('UNAVAILABLE', 'the Control UI is not built into this gateway; run `npm run build`'),
    );
  }
  const asset = await ctx.assets.get(name);
  if (!asset) {
    return errorResponse(
      name === 'index.html'
        ? new GatewayError(
            'UNAVAILABLE',
            'the Control UI is not built into this gateway; run `npm run build`',
          )
        : new GatewayError('NOT_FOUND', 'no such file'),
    );
  }
  return assetResponse(req, asset);
}

/** Builds the response for one asset: validators, cache policy, gzip when the client takes it. */
export function assetResponse(req: Request, asset: StaticAsset): Response {
  const headers = new Headers(CONTROL_UI_HEADERS);
  headers.set('content-type', asset.contentType);
  headers.set('etag', asset.etag);
  // The page must revalidate so a new build's hashed file names are picked up at once.
  headers.set('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  headers.set('vary', 'accept-encoding');
  if (etagMatches(req.headers.get('if-none-match'), asset.etag))
    return new Response(null, { status: 304, headers });
  const gzip = asset.gzip && /\bgzip\b/i.test(req.headers.get('accept-encoding') ?? '');
  if (gzip) headers.set('content-encoding', 'gzip');
  const body = gzip ? asset.gzip! : asset.body;
  headers.set('content-length', String(body.byteLength));
  return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers });
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
