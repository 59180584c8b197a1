import { describe, expect, it } from 'vitest';
import { createChannelCache } from '../../../../src/core/channels/discord/channel-cache';
import { toAcceptedMessage } from '../../../../src/core/channels/discord/inbound';
import type { DiscordMessage } from '../../../../src/core/channels/discord/payloads';
import type { DiscordRest } from '../../../../src/core/channels/discord/rest';
import type { KrabConfig } from '../../../../src/core/config/schema';

const BOT = { id: '900', username: 'krabbot', bot: true };
const config: KrabConfig = {
  channels: {
    discord: {
      groupPolicy: 'allowlist',
      guilds: { G1: { channels: { general: { allow: true } }, requireMention: true } },
    },
  },
};

function restWith(channels: Record<string, unknown>): DiscordRest & { gets: string[] } {
  const gets: string[] = [];
  const fail = async () => {
    throw new Error('not in this test');
  };
  return {
    gets,
    async get(route) {
      gets.push(route);
      const id = route.split('/').pop()!;
      if (channels[id]) return channels[id];
      throw Object.assign(new Error('Unknown Channel'), { status: 404 });
    },
    post: fail,
    patch: fail,
    put: fail,
  };
}

const message = (patch: Partial<DiscordMessage>): DiscordMessage => ({
  id: '1',
  channel_id: '10',
  guild_id: 'G1',
  author: { id: '100', username: 'alice' },
  content: 'hello',
  type: 0,
  mentions: [],
  ...patch,
});

describe('toAcceptedMessage', () => {
  it('learns channel names from GUILD_CREATE and keeps a mentioned message of an allowed channel', async () => {
    const cache = createChannelCache();
    cache.apply('GUILD_CREATE', {
      id: 'G1',
      channels: [{ id: '10', name: 'general', type: 0 }],
      threads: [],
    });
    const rest = restWith({});
    const accepted = await toAcceptedMessage(message({ content: '<@900> hi', mentions: [BOT] }), {
      botId: BOT.id,
      cache,
      rest,
      config,
      now: 1,
    });
    expect(accepted?.chat).toEqual({ id: '10', kind: 'group', guildId: 'G1', name: 'general' });
    expect(rest.gets).toEqual([]);
  });

  it('drops early what admitGroup turns away: unmentioned under requireMention, other channels, bots', async () => {
    const cache = createChannelCache();
    cache.apply('GUILD_CREATE', {
      id: 'G1',
      channels: [
        { id: '10', name: 'general', type: 0 },
        { id: '11', name: 'random', type: 0 },
      ],
    });
    const deps = { botId: BOT.id, cache, rest: restWith({}), config, now: 1 };
    expect(await toAcceptedMessage(message({}), deps)).toBeUndefined();
    expect(await toAcceptedMessage(message({ channel_id: '11', mentions: [BOT] }), deps)).toBeUndefined();
    expect(await toAcceptedMessage(message({ author: BOT, mentions: [BOT] }), deps)).toBeUndefined();
  });

  it('looks an unknown thread and its parent up once over REST', async () => {
    const cache = createChannelCache();
    const rest = restWith({
      '77': { id: '77', type: 11, parent_id: '10', guild_id: 'G1' },
      '10': { id: '10', type: 0, name: 'general' },
    });
    const deps = { botId: BOT.id, cache, rest, config, now: 1 };
    const accepted = await toAcceptedMessage(message({ channel_id: '77', mentions: [BOT] }), deps);
    expect(accepted?.chat).toEqual({
      id: '10',
      kind: 'group',
      guildId: 'G1',
      threadId: '77',
      name: 'general',
    });
    await toAcceptedMessage(message({ id: '2', channel_id: '77', mentions: [BOT] }), deps);
    expect(rest.gets).toEqual(['/channels/77', '/channels/10']);
  });

  it('passes DMs on to the pipeline (dmPolicy and pairing are decided there)', async () => {
    const deps = { botId: BOT.id, cache: createChannelCache(), rest: restWith({}), config, now: 1 };
    const accepted = await toAcceptedMessage(message({ guild_id: undefined, channel_id: '20' }), deps);
    expect(accepted?.chat).toEqual({ id: '20', kind: 'dm' });
  });

  it('channel renames and deletions keep the cache current', () => {
    const cache = createChannelCache();
    cache.apply('GUILD_CREATE', { id: 'G1', channels: [{ id: '10', name: 'general', type: 0 }] });
    cache.apply('CHANNEL_UPDATE', { id: '10', name: 'lobby', type: 0, guild_id: 'G1' });
    expect(cache.get('10')?.name).toBe('lobby');
    cache.apply('CHANNEL_DELETE', { id: '10', type: 0 });
    expect(cache.get('10')).toBeUndefined();
  });
});
