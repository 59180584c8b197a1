import type { LinkEntry } from '../../channels/login';
import type { ChannelStatus } from '../../channels/registry';
import type { ChannelSetupResult, SetupEntry } from '../../channels/setup';
import type { ConfigProblem } from '../../config/problems';
import type { McpServerStatus } from '../../mcp/types';
import type { ModelListing, ProviderListing } from '../../providers/catalog';
import type { ModelsStatus } from '../../providers/types';

// What the setup methods and status sections answer, named once for the methods and the Control UI
// (which imports them type-only); the records are the owning modules' own types.

/** One secret in `secrets.list`: set or not, and where from; never its value. */
export interface SecretRow {
  name: string;
  what: string;
  set: boolean;
  source?: string;
}

/** `secrets.list`. */
export interface SecretsList {
  secrets: SecretRow[];
}

/** `models.list`: every model the agents use, each provider's keys, and what is cooling down. */
export type ModelsList = { models: ModelListing[]; providers: ProviderListing[] } & ModelsStatus;

/** `channels.catalog`: the "Add <Channel>" forms, and the channels this gateway links with a QR code. */
export interface ChannelsCatalog {
  channels: SetupEntry[];
  linkable: LinkEntry[];
}

/** `channels.setup`: the channel is set up (a refusal is an error answer). */
export type ChannelSetupAnswer = { ok: true } & ChannelSetupResult;

/** The `status` sections the Channels and MCP views read. */
export interface SetupStatus {
  channels?: Record<string, ChannelStatus>;
  mcp?: { servers?: McpServerStatus[] };
}

export type { ChannelStatus, ConfigProblem, LinkEntry, McpServerStatus, SetupEntry };
