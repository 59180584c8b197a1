import type { KrabConfig } from '../../config/schema';
import type { GatewayContext } from '../../context';
import { chunkText } from '../../pipeline/chunk-text';
import { admitFromGroupTable } from '../group-table';
import type { ChannelAdapter, InboundMessage, ReplyTarget } from '../types';
import { toWhatsAppText } from './format';
import { WHATSAPP_CHANNEL } from './normalize';
import { rememberSent } from './records';
import { openGraph } from './session';
import { whatsappCloudEnabled, whatsappConfigOf } from './settings';

/** WhatsApp's limit on one text message's body. */
export const WHATSAPP_TEXT_LIMIT = 4096;

/** Group chat ids are not phone numbers: a reply there quotes the message it answers. */
const isGroupChat = (chatId: string) => !/^\d+$/.test(chatId);

/**
 * The WhatsApp Cloud API side of the shared pipeline: policies from `channels.whatsapp`, replies
 * through `POST /{phoneNumberId}/messages`, typing as mark-as-read with the typing indicator.
 */
export function createWhatsAppCloudAdapter(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'logs' | 'clock'>,
): ChannelAdapter {
  return {
    id: WHATSAPP_CHANNEL,
    textLimit: WHATSAPP_TEXT_LIMIT,
    policy: whatsappPolicy,
    admitGroup: admitWhatsAppGroup,
    async send(target, text) {
      const { graph } = await openGraph(ctx);
      let quote = isGroupChat(target.chatId) ? target.replyToMessageId : undefined;
      // The pipeline already chunks at `textLimit`; this only guards a direct caller.
      for (const chunk of text.length > WHATSAPP_TEXT_LIMIT ? chunkText(text, WHATSAPP_TEXT_LIMIT) : [text]) {
        const id = await graph.sendText(target.chatId, toWhatsAppText(chunk), quote);
        quote = undefined;
        if (id) await rememberSent(ctx.store, { id, to: target.chatId, text: chunk, at: ctx.clock.now() });
      }
    },
    async typing(target: ReplyTarget) {
      if (!target.replyToMessageId) return;
      const { graph } = await openGraph(ctx);
      await graph.markRead(target.replyToMessageId, true);
    },
  };
}

/** `channels.whatsapp` as the shared policies (DMs: pairing by default; groups: allowlist). */
export function whatsappPolicy(config: KrabConfig) {
  const whatsapp = config.channels?.whatsapp ?? {};
  return {
    dmPolicy: whatsapp.dmPolicy ?? 'pairing',
    allowFrom: whatsapp.allowFrom ?? [],
    groupPolicy: whatsapp.groupPolicy ?? 'allowlist',
  };
}

/**
 * `groupPolicy` (default `allowlist`): `open` answers every group but those with `allow: false`,
 * `allowlist` only groups with `allow: true` (`groups."*"` covers all). `requireMention` (default
 * true) comes from the group, then `groups."*"`, then the channel.
 */
export function admitWhatsAppGroup(message: InboundMessage, config: KrabConfig) {
  return admitFromGroupTable(config.channels?.whatsapp ?? {}, message.chat.id);
}

/**
 * Registers the Cloud API adapter when the channel is on in mode `cloud`, so replies and spool
 * replays go out. The Node service does this itself; the Worker calls this.
 */
export function registerWhatsAppChannel(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'logs' | 'clock' | 'channels'>,
): void {
  if (whatsappCloudEnabled(ctx.env, whatsappConfigOf(ctx)))
    ctx.channels.register(createWhatsAppCloudAdapter(ctx));
}
