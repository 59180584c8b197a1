import type { DiscordChannel } from './payloads';

/** Enough for every channel and active thread of a few busy guilds; the oldest entries go first. */
const MAX_CHANNELS = 10_000;

/**
 * Channel names and thread parents, learnt from the gateway (GUILD_CREATE lists a guild's
 * channels and active threads; CHANNEL_* and THREAD_* keep it current), because a
 * MESSAGE_CREATE carries only the channel id and allowlists name channels (`general`).
 */
export interface ChannelCache {
  apply(event: string, data: unknown): void;
  get(id: string): DiscordChannel | undefined;
  /** The cached channel, else the one `fetch` returns (cached from then on); undefined when unknown. */
  resolve(id: string, fetch: (id: string) => Promise<unknown>): Promise<DiscordChannel | undefined>;
  readonly size: number;
}

type Handler = (cache: Map<string, DiscordChannel>, data: Record<string, unknown>) => void;

const put = (cache: Map<string, DiscordChannel>, channel: unknown, guildId?: unknown) => {
  if (!isChannel(channel)) return;
  cache.delete(channel.id);
  cache.set(
    channel.id,
    typeof guildId === 'string' && !channel.guild_id ? { ...channel, guild_id: guildId } : channel,
  );
  if (cache.size > MAX_CHANNELS) cache.delete(cache.keys().next().value as string);
};

const upsert: Handler = (cache, data) => put(cache, data);
const remove: Handler = (cache, data) => void (typeof data.id === 'string' && cache.delete(data.id));

const HANDLERS: Record<string, Handler> = {
  GUILD_CREATE(cache, data) {
    for (const channel of asArray(data.channels)) put(cache, channel, data.id);
    for (const thread of asArray(data.threads)) put(cache, thread, data.id);
  },
  CHANNEL_CREATE: upsert,
  CHANNEL_UPDATE: upsert,
  CHANNEL_DELETE: remove,
  THREAD_CREATE: upsert,
  THREAD_UPDATE: upsert,
  THREAD_DELETE: remove,
  THREAD_LIST_SYNC(cache, data) {
    for (const thread of asArray(data.threads)) put(cache, thread, data.guild_id);
  },
};

export function createChannelCache(): ChannelCache {
  const cache = new Map<string, DiscordChannel>();
  return {
    apply(event, data) {
      const handler = HANDLERS[event];
      if (handler && data && typeof data === 'object') handler(cache, data as Record<string, unknown>);
    },
    get: (id) => cache.get(id),
    async resolve(id, fetch) {
      const known = cache.get(id);
      if (known) return known;
      const fetched = await fetch(id).catch(() => undefined);
      if (!isChannel(fetched)) return undefined;
      put(cache, fetched);
      return fetched;
    },
    get size() {
      return cache.size;
    },
  };
}

function isChannel(value: unknown): value is DiscordChannel {
  const channel = value as DiscordChannel | null;
  return Boolean(channel) && typeof channel?.id === 'string' && typeof channel.type === 'number';
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
