import type { KrabConfig } from '../../config/schema';
import type { ChannelAdapter, ChannelPolicy, ReplyTarget } from '../types';
import { admitDiscordGroup } from './admit';
import type { DiscordRest } from './rest';
import { DISCORD_TEXT_LIMIT, splitDiscordText } from './split';

/** Only users the reply names may be pinged, never @everyone or roles the model happens to write. */
const ALLOWED_MENTIONS = { parse: ['users'], replied_user: true };

export function discordPolicy(config: KrabConfig): ChannelPolicy {
  const discord = config.channels?.discord;
  return {
    dmPolicy: discord?.dmPolicy ?? 'pairing',
    allowFrom: discord?.allowFrom ?? [],
    groupPolicy: discord?.groupPolicy ?? 'allowlist',
  };
}

/** Where a reply is posted: the thread when there is one, else the channel or DM. */
export function targetChannelId(target: ReplyTarget): string {
  return target.threadId ?? target.chatId;
}

/**
 * The Discord channel as the inbound pipeline sees it. `rest` yields the bot's REST client
 * (created on first use, so replies replayed from the spool after a restart can go out before
 * the gateway socket is up).
 */
export function createDiscordChannel(rest: () => Promise<DiscordRest>): ChannelAdapter {
  return {
    id: 'discord',
    textLimit: DISCORD_TEXT_LIMIT,
    policy: discordPolicy,
    admitGroup: admitDiscordGroup,
    async send(target, text) {
      const client = await rest();
      const channelId = targetChannelId(target);
      const parts = splitDiscordText(text);
      for (const [index, content] of parts.entries()) {
        const body: Record<string, unknown> = { content, allowed_mentions: ALLOWED_MENTIONS };
        // Only the first part quotes the question; the rest follow it in order.
        if (index === 0 && target.replyToMessageId) {
          body.message_reference = { message_id: target.replyToMessageId, fail_if_not_exists: false };
        }
        await client.post(`/channels/${channelId}/messages`, { body });
      }
    },
    async typing(target) {
      const client = await rest();
      await client.post(`/channels/${targetChannelId(target)}/typing`);
    },
  };
}
