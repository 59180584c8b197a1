import { GatewayError } from '../../errors';
import type { ChannelRouteHandler } from '../channel-def';
import { acceptTelegramUpdate, toTelegramUpdate } from './inbound';
import { resolveWebhookSecret, telegramConfigOf, telegramEnabled } from './settings';
import { verifyTelegramRequest } from './verify';

/**
 * `POST /telegram/webhook` (or `channels.telegram.webhookPath`): checks Telegram's secret header
 * (constant-time; 401 when missing or wrong), then hands the update to the pipeline and answers
 * 200 only once it is durable in the spool. The agent run and the reply happen after, through
 * `waitUntil`. Web APIs only, so the same handler serves Workers.
 */
export const handleTelegramWebhook: ChannelRouteHandler = async (req, ctx) => {
  const config = telegramConfigOf(ctx);
  if (!telegramEnabled(ctx.env, config)) throw new GatewayError('NOT_FOUND', 'no such route');
  await verifyTelegramRequest(req, await resolveWebhookSecret(ctx, config));
  const update = toTelegramUpdate(await readJsonBody(req));
  const result = await acceptTelegramUpdate(ctx, update);
  return Response.json({ ok: true, result });
};

/** Bad JSON is a 400 with a clear message, never a crash. */
async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('BAD_REQUEST', 'request body is not valid JSON');
  }
}
