import type { Hono } from 'hono';
import { registerWhatsAppChannel } from '../../src/core/channels/whatsapp/adapter';
import { createApp } from '../../src/handlers/app';
import type { FakeGraph } from '../fakes/whatsapp-graph';
import { createTestContext, type TestContext, type TestContextOptions } from './context';

/**
 * A context with the WhatsApp Cloud channel on against the fake Graph API (its token, app secret
 * and phone number; DMs open unless `whatsapp` says otherwise), registered, and the full hono
 * app. `env` adds to (or, with undefined, removes from) the WhatsApp variables.
 */
export function whatsappSetup(
  graph: FakeGraph,
  options: {
    verifyToken: string;
    whatsapp?: Record<string, unknown>;
    env?: Record<string, string | undefined>;
    models?: TestContextOptions['models'];
    /** More top-level config (`media`, `owners`...). */
    config?: Record<string, unknown>;
  },
): { ctx: TestContext; app: Hono } {
  const ctx = createTestContext({
    env: {
      WHATSAPP_ACCESS_TOKEN: graph.token,
      WHATSAPP_APP_SECRET: graph.appSecret,
      WHATSAPP_VERIFY_TOKEN: options.verifyToken,
      WHATSAPP_API_BASE: graph.origin,
      ...options.env,
    },
    config: {
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: {
        whatsapp: {
          enabled: true,
          phoneNumberId: graph.phoneNumberId,
          dmPolicy: 'open',
          ...options.whatsapp,
        },
      },
      ...options.config,
    },
    ...(options.models ? { models: options.models } : {}),
  });
  registerWhatsAppChannel(ctx);
  return { ctx, app: createApp(ctx, { clientAddress: () => '127.0.0.1' }) };
}
