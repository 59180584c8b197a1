import { GatewayError } from '../../errors';
import { sendError } from '../send-error';

/** Slack's answers all carry `ok`; a refusal names its `error` (`channel_not_found`, `invalid_auth`). */
export interface SlackAnswer {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

/** Errors after which sending the same message again cannot help. */
const FINAL = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'cannot_reply_to_message',
  'user_not_found',
]);

/** Errors that say the bot token itself is refused (fixing it takes the owner, not waiting). */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/**
 * One Web API call on the platform's fetch (Node and Workers): `POST <base><method>` with a JSON
 * body and the token as a Bearer header. Plain fetch, not @slack/web-api: that client is built
 * on axios and Node streams, so it would not run in the Worker, and the gateway needs two methods.
 * https://api.slack.com/web#posting_json
 */
export async function slackCall(
  base: string,
  token: string,
  method: string,
  body: Record<string, unknown> = {},
  doFetch: typeof fetch = fetch,
): Promise<SlackAnswer> {
  let res: Response;
  try {
    res = await doFetch(`${base}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw sendError('slack', `cannot reach the Slack API: ${(error as Error).message}`, {
      retryable: true,
      cause: error,
    });
  }
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after') ?? '1');
    throw sendError('slack', `${method} rate limited`, { retryable: true, retryAfterMs: after * 1000 });
  }
  const answer = (await res.json().catch(() => undefined)) as SlackAnswer | undefined;
  if (!answer || typeof answer.ok !== 'boolean')
    throw sendError('slack', `${method} answered HTTP ${res.status} without a Slack answer`, {
      retryable: true,
    });
  if (!answer.ok) {
    const error = String(answer.error ?? 'unknown_error');
    if (REFUSED_TOKEN.has(error))
      throw new GatewayError(
        'UNAUTHORIZED',
        `slack: Slack rejected the bot token (${error}); check SLACK_BOT_TOKEN`,
        {
          retryable: true,
        },
      );
    throw sendError('slack', `${method} refused: ${error}`, { retryable: !FINAL.has(error) });
  }
  return answer;
}

/** The bot's identity (`auth.test`): its user id (mentions) and name (the login log line). */
export async function slackAuthTest(
  base: string,
  token: string,
  doFetch?: typeof fetch,
): Promise<{ userId: string; user: string; team?: string }> {
  const me = await slackCall(base, token, 'auth.test', {}, doFetch);
  return {
    userId: String(me.user_id ?? ''),
    user: String(me.user ?? ''),
    ...(typeof me.team === 'string' ? { team: me.team } : {}),
  };
}
