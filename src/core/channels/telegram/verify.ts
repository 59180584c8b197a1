import { tokensMatch } from '../../auth/token';
import { GatewayError } from '../../errors';

/** The header Telegram sets to the `secret_token` given to `setWebhook` (https://core.telegram.org/bots/api#setwebhook). */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Fails closed: without a configured secret no request is accepted, and a missing or wrong header
 * is a 401. The compare is constant-time (both sides hashed first).
 */
export async function verifyTelegramRequest(req: Request, expectedSecret: string | undefined): Promise<void> {
  const given = req.headers.get(SECRET_HEADER);
  if (!given) throw new GatewayError('UNAUTHORIZED', `missing ${SECRET_HEADER} header`);
  if (!expectedSecret || !(await tokensMatch(given, expectedSecret))) {
    throw new GatewayError('UNAUTHORIZED', `wrong ${SECRET_HEADER} header`);
  }
}
