import { acceptTelegramUpdate, toTelegramUpdate } from '../core/channels/telegram/inbound';
import { resolveWebhookSecret, telegramConfigOf, telegramEnabled } from '../core/channels/telegram/settings';
import { verifyTelegramRequest } from '../core/channels/telegram/verify';
import { GatewayError } from '../core/errors';
import { readJson } from './respond';
import type { RouteHandler } from './types';

/**
 * `POST /telegram/webhook` (or `channels.telegram.webhookPath`): checks Telegram's secret header
 * (constant-time; 401 when missing or wrong), then hands the update to the pipeline and answers
 * 200 only once it is durable in the spool. The agent run and the reply happen after, through
 * `waitUntil`. Web APIs only, so the same handler serves Workers.
 */
export const handleTelegramWebhook: RouteHandler = async (req, ctx) => {
  const config = telegramConfigOf(ctx);
  if (!telegramEnabled(ctx.env, config)) throw new GatewayError('NOT_FOUND', 'no such route');
  await verifyTelegramRequest(req, await resolveWebhookSecret(ctx, config));
  const update = toTelegramUpdate(await readJson(req));
  const result = await acceptTelegramUpdate(ctx, update);
  return Response.json({ ok: true, result });
};
