import { GatewayError } from '../../errors';
import type { ChannelRouteHandler } from '../channel-def';
import { answerAsk } from './ask';
import { discordPublicKey } from './def';
import {
  askPrompt,
  EPHEMERAL,
  INTERACTION_TYPE,
  parseInteraction,
  RESPONSE_TYPE,
  verifyInteraction,
} from './interactions';

/**
 * `POST /discord/interactions`, the application's Interactions Endpoint URL. Verifies first
 * (a missing or bad Ed25519 signature is a 401, as Discord's endpoint check expects), answers
 * PING with PONG, and defers `/ask` (type 5: "thinking…") within Discord's 3 s, finishing the
 * agent run through `waitUntil`. Web APIs only: the same handler serves the Workers adapter.
 */
export const handleDiscordInteraction: ChannelRouteHandler = async (req, ctx) => {
  const publicKey = discordPublicKey(ctx.env, ctx.config());
  if (!publicKey) {
    throw new GatewayError(
      'UNAVAILABLE',
      'discord interactions are not set up: set channels.discord.publicKey (developer portal → General Information → Public Key)',
    );
  }
  const signature = req.headers.get('x-signature-ed25519');
  const timestamp = req.headers.get('x-signature-timestamp');
  const body = await req.text();
  if (!signature || !timestamp)
    throw new GatewayError('UNAUTHORIZED', 'missing X-Signature-Ed25519 or X-Signature-Timestamp');
  if (!(await verifyInteraction(body, signature, timestamp, publicKey, ctx.clock.now()))) {
    ctx.log.scope('discord').warn('refused an interaction with a bad signature');
    throw new GatewayError('UNAUTHORIZED', 'invalid request signature');
  }
  const interaction = parseInteraction(body);
  if (!interaction) throw new GatewayError('BAD_REQUEST', 'request body is not a Discord interaction');

  if (interaction.type === INTERACTION_TYPE.PING) return Response.json({ type: RESPONSE_TYPE.PONG });
  if (interaction.type !== INTERACTION_TYPE.APPLICATION_COMMAND) {
    throw new GatewayError('BAD_REQUEST', `interaction type ${interaction.type} is not handled`);
  }
  const prompt = askPrompt(interaction);
  if (!prompt || typeof interaction.token !== 'string' || typeof interaction.application_id !== 'string') {
    const name = interaction.data?.name ?? '?';
    return Response.json({
      type: RESPONSE_TYPE.CHANNEL_MESSAGE,
      data: { content: `I only know /ask prompt:<text> (got /${name}).`, flags: EPHEMERAL },
    });
  }
  ctx.waitUntil(answerAsk(ctx, interaction, prompt));
  return Response.json({ type: RESPONSE_TYPE.DEFERRED_CHANNEL_MESSAGE });
};
