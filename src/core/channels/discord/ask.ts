import type { GatewayContext } from '../../context';
import { createPairingStore } from '../../pairing/pairing-store';
import { chunkText } from '../../pipeline/chunk-text';
import { decideReply } from '../../pipeline/decide-reply';
import { asyncCache } from '../../runtime/async-cache';
import type { InboundMessage, ReplyTarget } from '../types';
import { DISCORD_POLICIES, DISCORD_TEXT_LIMIT, type DiscordChannel } from './channel';
import { type Interaction, interactionUser } from './interactions';
import { DISCORD_ACCOUNT } from './normalize';
import { isThread } from './payloads';
import { createDiscordRest, type DiscordRest, discordApiBase } from './rest';

/** One token-less client per API base, so interaction webhooks share their rate-limit buckets. */
const restByBase = asyncCache<DiscordRest>();

/** Where no Discord channel runs (Workers: no gateway socket), webhooks go through the runtime's fetch. */
function sharedRest(apiBase: string): Promise<DiscordRest> {
  return restByBase(apiBase, () => createDiscordRest({ apiBase }));
}

/** An `/ask` as the shared policies and bindings see it: a message addressed to the bot. */
export function askAsMessage(interaction: Interaction, prompt: string, now: number): InboundMessage {
  const user = interactionUser(interaction);
  const channel = interaction.channel;
  const channelId = interaction.channel_id ?? channel?.id ?? '';
  const chat: InboundMessage['chat'] = interaction.guild_id
    ? isThread(channel) && channel?.parent_id
      ? { id: channel.parent_id, kind: 'group', guildId: interaction.guild_id, threadId: channelId }
      : {
          id: channelId,
          kind: 'group',
          guildId: interaction.guild_id,
          ...(channel?.name ? { name: channel.name } : {}),
        }
    : { id: channelId, kind: 'dm' };
  return {
    channel: 'discord',
    accountId: DISCORD_ACCOUNT,
    messageId: `interaction-${interaction.id}`,
    chat,
    sender: {
      id: user?.id ?? '',
      ...(user
        ? { username: user.username, name: interaction.member?.nick ?? user.global_name ?? user.username }
        : {}),
    },
    text: prompt,
    mentioned: true,
    receivedAt: now,
  };
}

/**
 * Answers an `/ask` after the deferred response: the same policies (allowlists, dmPolicy,
 * pairing) and bindings as a message, one agent turn, then the answer edits the "thinking…"
 * message through the interaction webhook (longer answers continue in follow-ups).
 */
export async function answerAsk(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'log' | 'clock' | 'events' | 'channels' | 'agents'>,
  interaction: Interaction,
  prompt: string,
): Promise<void> {
  const log = ctx.log.scope('discord');
  const config = ctx.config();
  const message = askAsMessage(interaction, prompt, ctx.clock.now());
  const running = ctx.channels.get('discord') as Partial<DiscordChannel> | undefined;
  const rest = running?.rest ? await running.rest() : await sharedRest(discordApiBase(config, ctx.env));
  const origin: ReplyTarget = { channel: 'discord', accountId: DISCORD_ACCOUNT, chatId: message.chat.id };
  if (message.chat.threadId) origin.threadId = message.chat.threadId;
  // Discord's policies without a running channel: /ask also works where no gateway socket runs (Workers).
  const decision = await decideReply(ctx, message, DISCORD_POLICIES, {
    pairing: createPairingStore(ctx.store, () => ctx.clock.now(), ctx.events),
    origin,
    content: prompt,
  });
  let text: string;
  if (decision.action === 'drop') {
    log.info(`/ask from ${message.sender.id} refused: ${decision.reason}`);
    text = 'Sorry, I am not allowed to answer here.';
  } else if (decision.action === 'answer') {
    text = decision.text.trim() === '' ? '(no answer)' : decision.text;
  } else {
    text = decision.text;
  }
  await deliver(rest, interaction, text);
}

async function deliver(rest: DiscordRest, interaction: Interaction, text: string): Promise<void> {
  const webhook = `/webhooks/${interaction.application_id}/${interaction.token}` as const;
  const [first = '', ...more] = chunkText(text, DISCORD_TEXT_LIMIT);
  const allowed_mentions = { parse: ['users'] };
  await rest.patch(`${webhook}/messages/@original`, {
    body: { content: first, allowed_mentions },
    auth: false,
  });
  for (const content of more) await rest.post(webhook, { body: { content, allowed_mentions }, auth: false });
}
