// The handlers behind every route but the health checks, loaded together on the first such
// request (see routes.ts): one module, so the bundle gets one lazy chunk for them, not one each.
export { handleApiStatus } from './api-status';
export { handleControlUi, handleControlUiAsset } from './control-ui';
export { handleDiscordInteraction } from './discord-interactions';
export { handleChatCompletions } from './openai-compat';
export { handleModelsList, handleModelsRetrieve } from './openai-models';
export { handleTelegramWebhook } from './telegram-webhook';
export { handleTelnyxEvents } from './voice-telnyx';
export { handleTwilioGather, handleTwilioIncoming, handleTwilioStatus } from './voice-twilio';
export { handleWhatsAppHandshake, handleWhatsAppWebhook } from './whatsapp-webhook';
