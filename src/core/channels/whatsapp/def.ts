import type { ChannelDef } from '../channel-def';
import { whatsappConfig } from './config';
import { createGraphClient } from './graph';
import {
  ACCESS_TOKEN_SECRET,
  APP_SECRET_SECRET,
  graphApiRoot,
  VERIFY_TOKEN_SECRET,
  WHATSAPP_WEBHOOK_PATH,
  whatsappEnabled,
  whatsappMode,
} from './settings';

const cloud = (config: Parameters<typeof whatsappMode>[0] | undefined) =>
  whatsappMode(config ?? {}) === 'cloud';

/** WhatsApp: the Business Cloud API (webhooks, any runtime) or WhatsApp Web (a linked device, Node). */
export const WHATSAPP: ChannelDef<typeof whatsappConfig> = {
  id: 'whatsapp',
  label: 'WhatsApp',
  config: whatsappConfig,
  qrLink: {
    label: 'WhatsApp Web',
    steps:
      'On your phone: WhatsApp → Settings → Linked devices → Link a device, then scan. A new code follows every ~20 s.',
  },
  enabled: (config, env) => whatsappEnabled(env, config.channels?.whatsapp ?? {}),
  secrets: {
    [ACCESS_TOKEN_SECRET]: {
      what: 'WhatsApp Cloud API access token',
      configPaths: ['channels.whatsapp.accessToken'],
    },
    [APP_SECRET_SECRET]: {
      what: 'WhatsApp app secret (webhook signatures)',
      configPaths: ['channels.whatsapp.appSecret'],
    },
    [VERIFY_TOKEN_SECRET]: {
      what: 'WhatsApp webhook verify token',
      configPaths: ['channels.whatsapp.verifyToken'],
    },
  },
  routes: [
    {
      method: 'GET',
      path: WHATSAPP_WEBHOOK_PATH,
      handler: (parts) => parts.handleWhatsAppHandshake,
    },
    {
      method: 'POST',
      path: WHATSAPP_WEBHOOK_PATH,
      handler: (parts) => parts.handleWhatsAppWebhook,
    },
  ],
  webhookPaths: (config) => (cloud(config.channels?.whatsapp) ? [WHATSAPP_WEBHOOK_PATH] : []),
  outbound: (ctx, parts) =>
    cloud(ctx.config().channels?.whatsapp) ? parts.createWhatsAppCloudAdapter(ctx) : undefined,
  nodeOnly: (config) =>
    cloud(config.channels?.whatsapp)
      ? undefined
      : 'WhatsApp Web (linked device); the Cloud API webhook works here',
  setup: {
    fields: [
      {
        name: 'phoneNumberId',
        label: 'Phone number id (WhatsApp → API Setup)',
        secret: false,
        configPath: 'channels.whatsapp.phoneNumberId',
      },
      { name: 'accessToken', label: 'Access token', secret: true, env: ACCESS_TOKEN_SECRET },
      { name: 'appSecret', label: 'App secret (App settings → Basic)', secret: true, env: APP_SECRET_SECRET },
      { name: 'verifyToken', label: 'Verify token', secret: true, env: VERIFY_TOKEN_SECRET, optional: true },
    ],
    // GET /{phone-number-id} checks the id and the token together.
    async validate(values, { env, config, fetch: doFetch }) {
      const phoneNumberId = values.phoneNumberId?.trim();
      const token = values.accessToken?.trim();
      if (!phoneNumberId || !/^\d+$/.test(phoneNumberId))
        return { ok: false, error: "expected the numeric phone number id from Meta's console" };
      if (!token) return { ok: false, error: 'the access token is missing' };
      try {
        const phone = await createGraphClient({
          root: graphApiRoot(env, config.channels?.whatsapp ?? {}),
          phoneNumberId,
          token,
          ...(doFetch ? { fetch: doFetch } : {}),
        }).phoneNumber();
        const account = phone.verifiedName ?? phone.displayPhoneNumber;
        // Set up this way, the channel runs on the Cloud API (not a linked WhatsApp Web device).
        return { ok: true, config: { mode: 'cloud' }, ...(account ? { account } : {}) };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  },
};
