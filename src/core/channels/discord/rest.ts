import type { KrabConfig } from '../../config/schema';
import { type EnvRecord, envVar } from '../../env';

/** Discord's API root without the version, as `@discordjs/rest` takes it. */
export const DISCORD_API_DEFAULT = 'https://discord.com/api';

export type DiscordRoute = `/${string}`;

export interface DiscordRequest {
  body?: unknown;
  /** `false` for webhook routes (interaction follow-ups), which the token in the path authorizes. */
  auth?: boolean;
}

/**
 * The slice of `@discordjs/rest`'s `REST` the channel uses. Going through it (never a bare
 * fetch) keeps Discord's rate limits honoured: it queues per bucket and waits out 429s.
 */
export interface DiscordRest {
  get(route: DiscordRoute, request?: DiscordRequest): Promise<unknown>;
  post(route: DiscordRoute, request?: DiscordRequest): Promise<unknown>;
  patch(route: DiscordRoute, request?: DiscordRequest): Promise<unknown>;
  put(route: DiscordRoute, request?: DiscordRequest): Promise<unknown>;
}

/** `DISCORD_API_BASE` (env wins) > `channels.discord.apiBase` > Discord; trailing slashes and a `/v10` suffix dropped. */
export function discordApiBase(config: KrabConfig, env: EnvRecord): string {
  const base = envVar(env, 'DISCORD_API_BASE') ?? config.channels?.discord?.apiBase ?? DISCORD_API_DEFAULT;
  return base.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

/** The gateway URL override (`DISCORD_GATEWAY_URL` > `channels.discord.gatewayUrl`), else what `GET /gateway/bot` says. */
export function discordGatewayUrl(config: KrabConfig, env: EnvRecord): string | undefined {
  return envVar(env, 'DISCORD_GATEWAY_URL') ?? config.channels?.discord?.gatewayUrl;
}

export interface RestOptions {
  apiBase: string;
  token?: string;
  /** Long-lived clients keep their rate-limit buckets swept; short-lived ones must not start timers. */
  sweep?: boolean;
  /** How bytes move (Node passes one over node:http); the runtime's `fetch` when absent. */
  makeRequest?: (url: string, init: RequestInit) => Promise<unknown>;
}

/**
 * A `@discordjs/rest` client, imported on first use only (Discord enabled or an interaction
 * arrived). Its fetch build on every runtime, with `makeRequest` from the adapter: the Node
 * build statically imports its own undici (~400 KB, ~10 MiB idle RSS) whatever the transport.
 * The package's exports map offers that build only to non-Node conditions, hence the path.
 */
export async function createDiscordRest(options: RestOptions): Promise<DiscordRest & { raw: unknown }> {
  const { REST } = await import('../../../../node_modules/@discordjs/rest/dist/web.mjs');
  const sweeps = options.sweep ? {} : { handlerSweepInterval: 0, hashSweepInterval: 0 };
  const transport = options.makeRequest ? { makeRequest: options.makeRequest as never } : {};
  const rest = new REST({ api: options.apiBase, version: '10', ...sweeps, ...transport });
  if (options.token) rest.setToken(options.token);
  return {
    raw: rest,
    get: (route, request) => rest.get(route, request),
    post: (route, request) => rest.post(route, request),
    patch: (route, request) => rest.patch(route, request),
    put: (route, request) => rest.put(route, request),
  };
}

/** The HTTP status of a failed Discord call (`DiscordAPIError`/`HTTPError` carry it), if any. */
export function discordErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
