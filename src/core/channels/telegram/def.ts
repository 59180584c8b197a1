import type { ChannelDef } from '../channel-def';
import { describeTelegramError, telegramApi } from './api';
import { telegramConfig } from './config';
import {
  TOKEN_SECRET,
  telegramApiRoot,
  telegramEnabled,
  telegramWebhookPath,
  WEBHOOK_SECRET,
} from './settings';

/** `123456789:AA...`: the shape @BotFather hands out (checked before Telegram is asked). */
const TOKEN_SHAPE = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;

/** Telegram: long polling on Node, or a webhook (`webhookUrl`) on any runtime. */
export const TELEGRAM: ChannelDef<typeof telegramConfig> = {
  id: 'telegram',
  label: 'Telegram',
  config: telegramConfig,
  enabled: (config, env) => telegramEnabled(env, config.channels?.telegram ?? {}),
  secrets: {
    [TOKEN_SECRET]: {
      what: 'Telegram bot token (from @BotFather)',
      configPaths: ['channels.telegram.botToken'],
    },
    [WEBHOOK_SECRET]: { what: 'Telegram webhook secret', configPaths: ['channels.telegram.webhookSecret'] },
  },
  routes: [
    {
      method: 'POST',
      // The path is configurable (`webhookPath`): a wildcard route plus this check.
      path: '*',
      match: (req, ctx) =>
        new URL(req.url).pathname === telegramWebhookPath(ctx.config().channels?.telegram ?? {}),
      handler: (parts) => parts.handleTelegramWebhook,
    },
  ],
  webhookPaths: (config) => {
    const telegram = config.channels?.telegram ?? {};
    return telegram.webhookUrl ? [telegramWebhookPath(telegram)] : [];
  },
  outbound: (ctx, parts) => parts.createTelegramAdapter(ctx),
  nodeOnly: (config) =>
    config.channels?.telegram?.webhookUrl
      ? undefined
      : 'Telegram long polling; set channels.telegram.webhookUrl to use the webhook here',
  tokenProbe: {
    secret: TOKEN_SECRET,
    configValue: (config) => config.channels?.telegram?.botToken,
    // https://core.telegram.org/bots/api#getme: the token is part of the path.
    request: (env, config, token) => ({
      url: `${telegramApiRoot(env, config.channels?.telegram ?? {})}/bot${token}/getMe`,
      headers: {},
    }),
    botName: (body) => {
      const username = (body as { result?: { username?: string } } | undefined)?.result?.username;
      return username ? `@${username}` : undefined;
    },
  },
  setup: {
    fields: [
      {
        name: 'token',
        label: 'Bot token',
        hint: 'From @BotFather: /newbot, then copy the token',
        secret: true,
        env: TOKEN_SECRET,
      },
    ],
    async validate(values, { env, config }) {
      const token = values.token?.trim();
      if (!token) return { ok: false, error: 'the bot token from @BotFather is missing' };
      if (!TOKEN_SHAPE.test(token))
        return {
          ok: false,
          error: 'that does not look like a bot token (expected 123456789:AA... from @BotFather)',
        };
      try {
        const me = await (
          await telegramApi(token, telegramApiRoot(env, config.channels?.telegram ?? {}))
        ).getMe();
        return { ok: true, account: `@${me.username}` };
      } catch (error) {
        return { ok: false, error: describeTelegramError(error) };
      }
    },
  },
};
