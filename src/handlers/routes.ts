import { handleApiStatus } from './api-status';
import { handleControlUi, handleControlUiAsset } from './control-ui';
import { handleDiscordInteraction } from './discord-interactions';
import { handleHealth, handleReady } from './health';
import { handleChatCompletions } from './openai-compat';
import { handleTelegramWebhook, isTelegramWebhook } from './telegram-webhook';
import type { Route } from './types';
import { handleTelnyxEvents } from './voice-telnyx';
import { handleTwilioGather, handleTwilioIncoming, handleTwilioStatus } from './voice-twilio';
import { handleWhatsAppHandshake, handleWhatsAppWebhook } from './whatsapp-webhook';

/** Every HTTP route of the gateway, on one port. Adding one is one line here. */
export const ROUTES: Route[] = [
  { method: 'GET', path: '/health', handler: handleHealth },
  { method: 'GET', path: '/healthz', handler: handleHealth },
  { method: 'GET', path: '/ready', handler: handleReady },
  { method: 'GET', path: '/readyz', handler: handleReady },
  { method: 'GET', path: '/api/status', handler: handleApiStatus, auth: 'bearer' },
  { method: 'POST', path: '/discord/interactions', handler: handleDiscordInteraction },
  { method: 'POST', path: '/v1/chat/completions', handler: handleChatCompletions, auth: 'bearer' },
  { method: 'GET', path: '/', handler: handleControlUi },
  { method: 'GET', path: '/ui/:name', handler: handleControlUiAsset },
  { method: 'POST', path: '/voice/twilio/incoming', handler: handleTwilioIncoming },
  { method: 'POST', path: '/voice/twilio/gather', handler: handleTwilioGather },
  { method: 'POST', path: '/voice/twilio/status', handler: handleTwilioStatus },
  { method: 'POST', path: '/voice/telnyx/events', handler: handleTelnyxEvents },
  { method: 'GET', path: '/whatsapp/webhook', handler: handleWhatsAppHandshake },
  { method: 'POST', path: '/whatsapp/webhook', handler: handleWhatsAppWebhook },
  { method: 'POST', path: '*', match: isTelegramWebhook, handler: handleTelegramWebhook },
];
