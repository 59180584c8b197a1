import type { ChannelRoute } from '../core/channels/channel-def';
import { CHANNEL_LIST } from '../core/channels/channels';
import { handleHealth, handleReady } from './health';
import type * as Handlers from './route-handlers';
import type { Route, RouteHandler } from './types';

// Health checks answer from the start; every other handler (with its schemas and the code behind
// it) is loaded on the first request that needs one, so a start compiles none of them. The module
// promise is kept: a webhook request then awaits it instead of going through the module loader.
let handlers: Promise<typeof Handlers> | undefined;
const loadHandlers = () => (handlers ??= import('./route-handlers'));
type HandlerName = {
  [K in keyof typeof Handlers]: (typeof Handlers)[K] extends RouteHandler ? K : never;
}[keyof typeof Handlers];
const lazy =
  (name: HandlerName): RouteHandler =>
  async (req, ctx, info) =>
    (await loadHandlers())[name](req, ctx, info);

/** A channel's webhook route (from its `ChannelDef`); its handler is among the lazily loaded ones. */
function channelRoute(route: ChannelRoute): Route {
  return {
    method: route.method,
    path: route.path,
    ...(route.match ? { match: route.match } : {}),
    handler: async (req, ctx, info) => route.handler(await loadHandlers())(req, ctx, info),
  };
}

const channelRoutes = CHANNEL_LIST.flatMap((def) => def.routes ?? []);

/**
 * Every HTTP route of the gateway, on one port. Adding one is one line here; a channel's webhooks
 * come from its `ChannelDef`, the wildcard ones (paths set in the config) last.
 */
export const ROUTES: Route[] = [
  { method: 'GET', path: '/health', handler: handleHealth },
  { method: 'GET', path: '/healthz', handler: handleHealth },
  { method: 'GET', path: '/ready', handler: handleReady },
  { method: 'GET', path: '/readyz', handler: handleReady },
  { method: 'GET', path: '/api/status', handler: lazy('handleApiStatus'), auth: 'bearer' },
  { method: 'POST', path: '/v1/chat/completions', handler: lazy('handleChatCompletions'), auth: 'bearer' },
  { method: 'GET', path: '/v1/models', handler: lazy('handleModelsList'), auth: 'bearer' },
  { method: 'GET', path: '/v1/models/:id', handler: lazy('handleModelsRetrieve'), auth: 'bearer' },
  { method: 'GET', path: '/', handler: lazy('handleControlUi') },
  { method: 'GET', path: '/ui/:name', handler: lazy('handleControlUiAsset') },
  { method: 'POST', path: '/voice/twilio/incoming', handler: lazy('handleTwilioIncoming') },
  { method: 'POST', path: '/voice/twilio/gather', handler: lazy('handleTwilioGather') },
  { method: 'POST', path: '/voice/twilio/status', handler: lazy('handleTwilioStatus') },
  { method: 'POST', path: '/voice/telnyx/events', handler: lazy('handleTelnyxEvents') },
  ...channelRoutes.filter((route) => !route.match).map(channelRoute),
  ...channelRoutes.filter((route) => route.match).map(channelRoute),
];
