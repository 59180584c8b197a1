import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { asyncCache } from '../../runtime/async-cache';
import type { ChannelRouteHandler } from '../channel-def';
import { slackAuthTest } from './api';
import { parseSlackEvent, type SlackEvent } from './normalize';
import { resolveBotToken, resolveSigningSecret, slackApiBase, slackConfigOf, slackEnabled } from './settings';
import { verifySlackRequest } from './verify';

/** Slack's event bodies are small; anything far larger is refused before it is hashed. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An Events API body (or a Socket Mode `events_api` payload). https://api.slack.com/apis/events-api#callback-field */
export interface SlackEnvelope {
  type?: string;
  challenge?: string;
  team_id?: string;
  event?: SlackEvent;
  authorizations?: Array<{ user_id?: string }>;
}

type SlackCtx = Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config' | 'clock' | 'pipeline'>;

const identities = asyncCache<{ userId: string; user: string }>();

/** The bot's user id and name (`auth.test`), asked once per token and API base. */
export async function slackIdentity(ctx: Omit<SlackCtx, 'pipeline' | 'clock'>) {
  const config = slackConfigOf(ctx.config());
  const token = await resolveBotToken(ctx, config);
  if (!token) throw new GatewayError('UNAVAILABLE', 'slack has no bot token: set SLACK_BOT_TOKEN');
  const base = slackApiBase(ctx.env, config);
  return identities(`${base}\n${token}`, () => slackAuthTest(base, token));
}

/**
 * One event into the shared pipeline; resolves once it is durable in the spool (so the caller
 * may acknowledge). What the gateway does not answer is acknowledged as `ignored`.
 */
export async function acceptSlackEnvelope(
  ctx: SlackCtx,
  body: SlackEnvelope,
): Promise<'accepted' | 'duplicate' | 'ignored'> {
  if (body.type !== 'event_callback' || !body.event || typeof body.event !== 'object') return 'ignored';
  // Events carry the bot's user id in `authorizations`; auth.test only when they do not.
  const userId = body.authorizations?.[0]?.user_id ?? (await slackIdentity(ctx)).userId;
  const message = parseSlackEvent(body.event, { userId, teamId: body.team_id ?? '' }, ctx.clock.now());
  if (!message) return 'ignored';
  const { duplicate } = await ctx.pipeline.accept(message);
  return duplicate ? 'duplicate' : 'accepted';
}

/**
 * `POST /slack/events`, the Events API's Request URL: verifies Slack's signature over the raw body
 * first (401 when missing, wrong or older than 5 minutes), answers `url_verification` with its
 * challenge, and hands events to the pipeline, answering 200 once they are durable in the spool.
 * A delivery Slack retries (`X-Slack-Retry-Num`) is the same message: the dedupe answers it once.
 */
export const handleSlackEvents: ChannelRouteHandler = async (req, ctx) => {
  const config = slackConfigOf(ctx.config());
  if (!slackEnabled(ctx.env, config)) throw new GatewayError('NOT_FOUND', 'no such route');
  if (Number(req.headers.get('content-length') ?? '0') > MAX_BODY_BYTES)
    throw new GatewayError('PAYLOAD_TOO_LARGE', 'event body too large');
  const raw = new Uint8Array(await req.arrayBuffer());
  if (raw.length > MAX_BODY_BYTES) throw new GatewayError('PAYLOAD_TOO_LARGE', 'event body too large');
  await verifySlackRequest(req.headers, raw, await resolveSigningSecret(ctx, config), ctx.clock.now());
  let body: SlackEnvelope;
  try {
    body = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new GatewayError('BAD_REQUEST', 'request body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new GatewayError('BAD_REQUEST', 'expected a Slack event object');
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string')
      throw new GatewayError('BAD_REQUEST', 'url_verification without a challenge');
    ctx.log.scope('slack').info('Request URL verified by Slack (challenge answered)');
    return Response.json({ challenge: body.challenge });
  }
  const result = await acceptSlackEnvelope(ctx, body);
  return Response.json({ ok: true, result });
};
