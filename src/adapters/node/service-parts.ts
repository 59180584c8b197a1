// The parts of the Node services that only some configs run (Signal, WhatsApp Cloud, tunnels, the
// voice webhooks' registration, MCP connectors), imported by the services when their config asks
// for them. One module, so that the build makes one lazy chunk of them: with a dynamic import each,
// the code they share with the start graph is cut into many small chunks that every start loads.

export { registerVoiceWebhooks } from '../../core/plugins/voice-call/register-webhooks';
export { connectNode } from './mcp/connect';
export { startSignalRun } from './signal/run';
export { startNgrok } from './tunnel/ngrok';
export { startTailscale } from './tunnel/tailscale';
export { startWhatsAppCloudRun } from './whatsapp/cloud-run';
