import type { KrabConfig } from '../../config/schema';
import type { InboundMessage } from '../types';

type GuildConfig = NonNullable<NonNullable<NonNullable<KrabConfig['channels']>['discord']>['guilds']>[string];
type ChannelEntry = NonNullable<GuildConfig['channels']>[string];

export interface Admission {
  allowed: boolean;
  requireMention: boolean;
}

const DENIED: Admission = { allowed: false, requireMention: true };

/**
 * Whether a guild message may be answered, and whether it needs an @mention (or a reply to the
 * bot). With `groupPolicy: "allowlist"` (the default) the guild must be listed under
 * `guilds.<id>` (or `"*"`) and, when the guild lists channels, the channel by id or name
 * (`general`, `#general`, `"*"`); a thread counts as its parent channel unless it is listed
 * itself. `users` narrows who may talk in that guild. `requireMention` is taken from the
 * channel entry, then the guild, and is on by default. `"open"` answers every guild and only
 * honours explicit `allow: false`; `"disabled"` answers no guild.
 */
export function admitDiscordGroup(message: InboundMessage, config: KrabConfig): Admission {
  const discord = config.channels?.discord;
  const policy = discord?.groupPolicy ?? 'allowlist';
  if (policy === 'disabled' || message.chat.kind !== 'group') return DENIED;
  const guilds = discord?.guilds ?? {};
  const guildId = message.chat.guildId ?? '';
  const guild = own(guilds, guildId) ?? own(guilds, '*');
  if (!guild) return policy === 'open' ? { allowed: true, requireMention: true } : DENIED;

  const entry = channelEntry(guild.channels ?? {}, message.chat);
  const listsChannels = Object.keys(guild.channels ?? {}).length > 0;
  if (entry?.allow === false) return DENIED;
  if (policy === 'allowlist' && listsChannels && !entry) return DENIED;
  if (guild.users && guild.users.length > 0 && !userListed(guild.users, message.sender)) return DENIED;
  return { allowed: true, requireMention: entry?.requireMention ?? guild.requireMention ?? true };
}

function channelEntry(
  channels: Record<string, ChannelEntry>,
  chat: InboundMessage['chat'],
): ChannelEntry | undefined {
  const name = chat.name?.toLowerCase();
  const keys = [chat.threadId, chat.id, name, name === undefined ? undefined : `#${name}`, '*'];
  for (const key of keys) {
    if (key === undefined) continue;
    const entry = own(channels, key) ?? ownCaseless(channels, key);
    if (entry) return entry;
  }
  return undefined;
}

function userListed(users: string[], sender: InboundMessage['sender']): boolean {
  const username = sender.username?.toLowerCase();
  return users.some(
    (user) =>
      user === sender.id || (username !== undefined && user.toLowerCase().replace(/^@/, '') === username),
  );
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function ownCaseless<T>(record: Record<string, T>, key: string): T | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}
