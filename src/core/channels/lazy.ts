// The channels' parts loaded on first use (webhook handlers, the Worker's outbound adapters), in
// ONE module that the runtime imports with its other route handlers (handlers/route-handlers.ts)
// and hands to the `ChannelDef`s. Every dynamic import target is an entry point to esbuild, and
// each one cuts the code the start shares with it into more chunk files: one import() per part
// took the gateway's start from 9 files to 39, one for this module to 13 (each costs the ESM
// loader ~0.5 ms); through route-handlers it stays at 9.
export { handleDiscordInteraction } from './discord/interactions-route';
export { createSlackAdapter } from './slack/adapter';
export { handleSlackEvents } from './slack/events';
export { runSlackSocketMode } from './slack/socket-mode';
export { createTelegramAdapter } from './telegram/adapter';
export { handleTelegramWebhook } from './telegram/webhook';
export { createWhatsAppCloudAdapter } from './whatsapp/adapter';
export { handleWhatsAppHandshake, handleWhatsAppWebhook } from './whatsapp/webhook';
