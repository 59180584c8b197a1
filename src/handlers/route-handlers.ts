// The handlers behind every route but the health checks and the channels' webhooks (each
// channel loads its own, see channels.ts), loaded together on the first such
// request (see routes.ts): one module, so the bundle gets one lazy chunk for them, not one each.
export * from '../core/channels/lazy';
export { handleApiStatus } from './api-status';
export { handleControlUi, handleControlUiAsset } from './control-ui';
export { handleChatCompletions } from './openai-compat';
export { handleModelsList, handleModelsRetrieve } from './openai-models';
export { handleTelnyxEvents } from './voice-telnyx';
export { handleTwilioGather, handleTwilioIncoming, handleTwilioStatus } from './voice-twilio';
