import type { KrabConfig } from '../../config/schema';
import { mediaCaps } from '../../media/settings';
import type { InboundMessage } from '../types';
import { admitDiscordGroup } from './admit';
import type { ChannelCache } from './channel-cache';
import { fetchDiscordMedia } from './media';
import { DISCORD_ACCOUNT, isFromPerson, toInboundMessage } from './normalize';
import { type DiscordMessage, isThread } from './payloads';
import type { DiscordRest } from './rest';

export interface InboundDeps {
  botId: string;
  cache: ChannelCache;
  rest: DiscordRest;
  config: KrabConfig;
  now: number;
  /** The API base in use: attachments are downloaded from Discord's CDN or this origin only. Unset: not downloaded. */
  apiBase?: string;
  fetch?: typeof fetch;
}

/**
 * A MESSAGE_CREATE made ready for `ctx.pipeline.accept`, or undefined when it is not for the
 * bot: written by a bot or a webhook, empty, or in a guild channel `admitGroup` turns away.
 * That last check is the adapter's own `admitGroup`, run early so a busy guild's chatter is
 * never written to the spool; the pipeline still applies every policy itself. Admitted messages'
 * images and audio are downloaded then (within `media` caps).
 */
export async function toAcceptedMessage(
  message: DiscordMessage,
  deps: InboundDeps,
): Promise<InboundMessage | undefined> {
  if (!isFromPerson(message, deps.botId)) return undefined;
  const fetchChannel = (id: string) => deps.rest.get(`/channels/${id}`);
  const channel = message.guild_id ? await deps.cache.resolve(message.channel_id, fetchChannel) : undefined;
  const parent =
    isThread(channel) && channel?.parent_id
      ? await deps.cache.resolve(channel.parent_id, fetchChannel)
      : undefined;
  const inbound = toInboundMessage(message, {
    botId: deps.botId,
    now: deps.now,
    ...(channel ? { channel } : {}),
    ...(parent ? { parent } : {}),
  });
  if (inbound.text === '' && !inbound.attachments) return undefined;
  if (inbound.chat.kind === 'group') {
    const admission = admitDiscordGroup(inbound, deps.config);
    if (!admission.allowed || (admission.requireMention && !inbound.mentioned)) return undefined;
  }
  if (inbound.attachments && deps.apiBase)
    await fetchDiscordMedia(message, inbound, {
      caps: mediaCaps(deps.config),
      apiBase: deps.apiBase,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  return inbound;
}

export { DISCORD_ACCOUNT };
