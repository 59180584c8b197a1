import { describe, expect, it } from 'vitest';
import { isFromPerson, toInboundMessage } from '../../../../src/core/channels/discord/normalize';
import type { DiscordMessage } from '../../../../src/core/channels/discord/payloads';

const BOT = { id: '900', username: 'krabbot', bot: true };
const ALICE = { id: '100', username: 'alice', global_name: 'Alice' };
const general = { id: '10', type: 0, name: 'general', guild_id: '1' };

function message(patch: Partial<DiscordMessage> = {}): DiscordMessage {
  return {
    id: '555',
    channel_id: '10',
    guild_id: '1',
    author: ALICE,
    content: 'hello',
    type: 0,
    mentions: [],
    ...patch,
  };
}

describe('toInboundMessage', () => {
  it('normalizes a guild message with the channel name and no mention', () => {
    const inbound = toInboundMessage(message(), { botId: BOT.id, channel: general, now: 42 });
    expect(inbound).toEqual({
      channel: 'discord',
      accountId: 'default',
      messageId: '555',
      chat: { id: '10', kind: 'group', guildId: '1', name: 'general' },
      sender: { id: '100', name: 'Alice', username: 'alice' },
      text: 'hello',
      mentioned: false,
      receivedAt: 42,
    });
  });

  it('an @mention of the bot sets mentioned and is removed from the text; other mentions read as @name', () => {
    const bob = { id: '101', username: 'bob' };
    const inbound = toInboundMessage(
      message({ content: '<@900> ask <@!101> about  it', mentions: [BOT, bob] }),
      {
        botId: BOT.id,
        channel: general,
        now: 0,
      },
    );
    expect(inbound.mentioned).toBe(true);
    expect(inbound.text).toBe('ask @bob about it');
  });

  it('a reply to the bot counts as addressed to it and carries the quoted text', () => {
    const inbound = toInboundMessage(
      message({
        type: 19,
        message_reference: { message_id: '444' },
        referenced_message: message({ id: '444', author: BOT, content: 'earlier answer' }),
      }),
      { botId: BOT.id, channel: general, now: 0 },
    );
    expect(inbound.mentioned).toBe(true);
    expect(inbound.replyTo).toEqual({ messageId: '444', text: 'earlier answer' });
  });

  it('a reply to someone else is not a mention', () => {
    const inbound = toInboundMessage(
      message({
        type: 19,
        message_reference: { message_id: '444' },
        referenced_message: message({ id: '444', author: ALICE }),
      }),
      { botId: BOT.id, channel: general, now: 0 },
    );
    expect(inbound.mentioned).toBe(false);
  });

  it('a thread message belongs to its parent channel and keeps the thread for the reply', () => {
    const thread = { id: '77', type: 11, name: 'a thread', parent_id: '10', guild_id: '1' };
    const inbound = toInboundMessage(message({ channel_id: '77' }), {
      botId: BOT.id,
      channel: thread,
      parent: general,
      now: 0,
    });
    expect(inbound.chat).toEqual({ id: '10', kind: 'group', guildId: '1', threadId: '77', name: 'general' });
  });

  it('a message without guild is a DM', () => {
    const inbound = toInboundMessage(message({ guild_id: undefined, channel_id: '20' }), {
      botId: BOT.id,
      now: 0,
    });
    expect(inbound.chat).toEqual({ id: '20', kind: 'dm' });
  });

  it('describes attachments by kind', () => {
    const inbound = toInboundMessage(
      message({ attachments: [{ id: '1', filename: 'cat.png', content_type: 'image/png', size: 10 }] }),
      { botId: BOT.id, channel: general, now: 0 },
    );
    expect(inbound.attachments).toEqual([
      {
        kind: 'image',
        name: 'cat.png',
        mimeType: 'image/png',
        size: 10,
        description: 'image cat.png (10 bytes)',
      },
    ]);
  });
});

describe('isFromPerson', () => {
  it('ignores bots, the bot itself, webhooks and system messages', () => {
    expect(isFromPerson(message(), BOT.id)).toBe(true);
    expect(isFromPerson(message({ author: BOT }), BOT.id)).toBe(false);
    expect(isFromPerson(message({ author: { id: '300', username: 'otherbot', bot: true } }), BOT.id)).toBe(
      false,
    );
    expect(isFromPerson(message({ webhook_id: '1' }), BOT.id)).toBe(false);
    expect(isFromPerson(message({ type: 7 }), BOT.id)).toBe(false);
  });
});
