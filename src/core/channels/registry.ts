import type { EventHub } from '../runtime/events';
import type { ChannelAdapter } from './types';

export type ChannelState =
  | 'disabled'
  | 'starting'
  | 'connected'
  | 'reconnecting'
  | 'failed'
  | 'stopped'
  | 'unavailable';

/** What `status` and the Control UI show for a channel. */
export interface ChannelStatus {
  id: string;
  state: ChannelState;
  /** The bot's login name once known (`@krab_bot`, `Krab#0001`). */
  login?: string;
  /** Why it failed or is unavailable, in words the owner can act on. */
  error?: string;
  mode?: string;
  since: number;
}

/** The channels of this gateway: adapters the pipeline sends through, and their live status. */
export interface ChannelRegistry {
  register(adapter: ChannelAdapter): void;
  get(id: string): ChannelAdapter | undefined;
  setStatus(id: string, patch: Omit<Partial<ChannelStatus>, 'id' | 'since'> & { state: ChannelState }): void;
  statuses(): Record<string, ChannelStatus>;
}

export function createChannelRegistry(events: EventHub, now: () => number): ChannelRegistry {
  const adapters = new Map<string, ChannelAdapter>();
  const statuses = new Map<string, ChannelStatus>();
  return {
    register(adapter) {
      adapters.set(adapter.id, adapter);
    },
    get: (id) => adapters.get(id),
    setStatus(id, patch) {
      const previous = statuses.get(id);
      const status: ChannelStatus = {
        id,
        ...patch,
        since: previous?.state === patch.state ? previous.since : now(),
      };
      statuses.set(id, status);
      events.emit('channel.status', status);
    },
    statuses: () => Object.fromEntries(statuses),
  };
}
