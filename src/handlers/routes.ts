import { telegramConfigOf, telegramWebhookPath } from '../core/channels/telegram/settings';
import type { GatewayContext } from '../core/context';
import { handleHealth, handleReady } from './health';
import type * as Handlers from './route-handlers';
import type { Route, RouteHandler } from './types';

// Health checks answer from the start; every other handler (with its schemas and the code behind
// it) is loaded on the first request that needs one, so a start compiles none of them. The module
// promise is kept: a webhook request then awaits it instead of going through the module loader.
let handlers: Promise<typeof Handlers> | undefined;
const loadHandlers = () => (handlers ??= import('./route-handlers'));
const lazy =
  (name: keyof typeof Handlers): RouteHandler =>
  async (req, ctx, info) =>
    (await loadHandlers())[name](req, ctx, info);

/** The Telegram webhook's path is configurable (`webhookPath`): a wildcard route plus this check. */
function isTelegramWebhook(req: Request, ctx: GatewayContext): boolean {
  return new URL(req.url).pathname === telegramWebhookPath(telegramConfigOf(ctx));
}

/** Every HTTP route of the gateway, on one port. Adding one is one line here. */
export const ROUTES: Route[] = [
  { method: 'GET', path: '/health', handler: handleHealth },
  { method: 'GET', path: '/healthz', handler: handleHealth },
  { method: 'GET', path: '/ready', handler: handleReady },
  { method: 'GET', path: '/readyz', handler: handleReady },
  { method: 'GET', path: '/api/status', handler: lazy('handleApiStatus'), auth: 'bearer' },
  { method: 'POST', path: '/discord/interactions', handler: lazy('handleDiscordInteraction') },
  { method: 'POST', path: '/v1/chat/completions', handler: lazy('handleChatCompletions'), auth: 'bearer' },
  { method: 'GET', path: '/v1/models', handler: lazy('handleModelsList'), auth: 'bearer' },
  { method: 'GET', path: '/v1/models/:id', handler: lazy('handleModelsRetrieve'), auth: 'bearer' },
  { method: 'GET', path: '/', handler: lazy('handleControlUi') },
  { method: 'GET', path: '/ui/:name', handler: lazy('handleControlUiAsset') },
  { method: 'POST', path: '/voice/twilio/incoming', handler: lazy('handleTwilioIncoming') },
  { method: 'POST', path: '/voice/twilio/gather', handler: lazy('handleTwilioGather') },
  { method: 'POST', path: '/voice/twilio/status', handler: lazy('handleTwilioStatus') },
  { method: 'POST', path: '/voice/telnyx/events', handler: lazy('handleTelnyxEvents') },
  { method: 'GET', path: '/whatsapp/webhook', handler: lazy('handleWhatsAppHandshake') },
  { method: 'POST', path: '/whatsapp/webhook', handler: lazy('handleWhatsAppWebhook') },
  { method: 'POST', path: '*', match: isTelegramWebhook, handler: lazy('handleTelegramWebhook') },
];
