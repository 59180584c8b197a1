import { describe, expect, it } from 'vitest';
import { admitDiscordGroup } from '../../../../src/core/channels/discord/admit';
import type { InboundMessage } from '../../../../src/core/channels/types';
import type { KrabConfig } from '../../../../src/core/config/schema';

function msg(
  chat: Partial<InboundMessage['chat']> = {},
  sender: InboundMessage['sender'] = { id: '100', username: 'alice' },
): InboundMessage {
  return {
    channel: 'discord',
    accountId: 'default',
    messageId: '1',
    chat: { id: '10', kind: 'group', guildId: 'G1', name: 'general', ...chat },
    sender,
    text: 'hi',
    mentioned: false,
    receivedAt: 0,
  };
}

const guide: KrabConfig = {
  channels: {
    discord: {
      enabled: true,
      groupPolicy: 'allowlist',
      guilds: { G1: { channels: { general: { allow: true } }, requireMention: false } },
    },
  },
};

describe('admitDiscordGroup', () => {
  it("the guide's config: #general of the listed guild answers without a mention", () => {
    expect(admitDiscordGroup(msg(), guide)).toEqual({ allowed: true, requireMention: false });
  });

  it('another channel of the listed guild is ignored', () => {
    expect(admitDiscordGroup(msg({ id: '11', name: 'random' }), guide).allowed).toBe(false);
  });

  it('another guild is ignored', () => {
    expect(admitDiscordGroup(msg({ guildId: 'G2' }), guide).allowed).toBe(false);
  });

  it('a channel may be listed by id, #name, or any case', () => {
    const byId: KrabConfig = {
      channels: { discord: { guilds: { G1: { channels: { '10': { allow: true } } } } } },
    };
    const byHash: KrabConfig = {
      channels: { discord: { guilds: { G1: { channels: { '#General': { allow: true } } } } } },
    };
    expect(admitDiscordGroup(msg({ name: 'renamed' }), byId).allowed).toBe(true);
    expect(admitDiscordGroup(msg(), byHash).allowed).toBe(true);
  });

  it('a thread counts as its parent channel', () => {
    expect(admitDiscordGroup(msg({ threadId: '77' }), guide)).toEqual({
      allowed: true,
      requireMention: false,
    });
  });

  it('requireMention: on by default, guild level, and channel level overriding the guild', () => {
    const config: KrabConfig = {
      channels: {
        discord: {
          guilds: {
            G1: {
              requireMention: true,
              channels: { general: { allow: true, requireMention: false }, dev: { allow: true } },
            },
            G2: {},
          },
        },
      },
    };
    expect(admitDiscordGroup(msg(), config).requireMention).toBe(false);
    expect(admitDiscordGroup(msg({ id: '12', name: 'dev' }), config).requireMention).toBe(true);
    expect(admitDiscordGroup(msg({ guildId: 'G2', name: 'anything' }), config)).toEqual({
      allowed: true,
      requireMention: true,
    });
  });

  it('allow: false shuts a channel out, even with groupPolicy open', () => {
    const config: KrabConfig = {
      channels: {
        discord: { groupPolicy: 'open', guilds: { G1: { channels: { general: { allow: false } } } } },
      },
    };
    expect(admitDiscordGroup(msg(), config).allowed).toBe(false);
    expect(admitDiscordGroup(msg({ id: '11', name: 'random' }), config).allowed).toBe(true);
    expect(admitDiscordGroup(msg({ guildId: 'G9' }), config)).toEqual({
      allowed: true,
      requireMention: true,
    });
  });

  it('users narrows who may talk in a guild (by id or username)', () => {
    const config: KrabConfig = { channels: { discord: { guilds: { G1: { users: ['100', '@bob'] } } } } };
    expect(admitDiscordGroup(msg(), config).allowed).toBe(true);
    expect(admitDiscordGroup(msg({}, { id: '101', username: 'bob' }), config).allowed).toBe(true);
    expect(admitDiscordGroup(msg({}, { id: '102', username: 'eve' }), config).allowed).toBe(false);
  });

  it('groupPolicy disabled and no discord config answer no guild', () => {
    expect(
      admitDiscordGroup(msg(), { channels: { discord: { groupPolicy: 'disabled', guilds: { G1: {} } } } })
        .allowed,
    ).toBe(false);
    expect(admitDiscordGroup(msg(), {}).allowed).toBe(false);
  });

  it('a "*" guild entry covers every guild', () => {
    const config: KrabConfig = { channels: { discord: { guilds: { '*': { requireMention: true } } } } };
    expect(admitDiscordGroup(msg({ guildId: 'G5' }), config)).toEqual({
      allowed: true,
      requireMention: true,
    });
  });
});
