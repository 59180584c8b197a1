import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import type { ChannelDef } from './channel-def';
import { DISCORD } from './discord/def';
import { SIGNAL } from './signal/def';
import { SLACK } from './slack/def';
import { TELEGRAM } from './telegram/def';
import { WHATSAPP } from './whatsapp/def';

/**
 * Every chat channel of the gateway, one line each (voice calls are a plugin, not a channel).
 * Routes, secret names, tunnel paths, the config schema, doctor, status, the CLI and the Worker
 * all read this table. Adding a channel is its folder and one line here.
 */
export const CHANNELS = {
  telegram: TELEGRAM,
  discord: DISCORD,
  whatsapp: WHATSAPP,
  signal: SIGNAL,
  slack: SLACK,
} as const;

export type ChannelId = keyof typeof CHANNELS;

export const CHANNEL_LIST: readonly ChannelDef[] = Object.values(CHANNELS);

/** The table's entry for an id (own keys only: `constructor` is not a channel). */
export function channelDef(id: string): ChannelDef | undefined {
  return Object.hasOwn(CHANNELS, id) ? CHANNELS[id as ChannelId] : undefined;
}

/** The channels this config and env run: the one decision every layer shares. */
export function enabledChannels(config: KrabConfig, env: EnvRecord): ChannelDef[] {
  return CHANNEL_LIST.filter((def) => def.enabled(config, env));
}
